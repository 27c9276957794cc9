package io.jobprogress.jakarta.ws;

import io.jobprogress.core.CloseReason;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.WebSocketCoreSession;
import org.eclipse.jetty.websocket.core.exception.BadPayloadException;

/**
 * One connection of the Jetty core transport ({@link JettyWebSocketHandler}): Jetty's {@link FrameHandler}
 * for it and the {@link Wire} the pipeline sends through, in one small object (memory per connection is
 * the point of this transport). Keeps the handshake's outcome until {@code onOpen}, never the upgrade
 * request or the token. Inbound it joins a text message's fragments (bytes, decoded once, strictly as
 * UTF-8) and counts them against the library's limit as they arrive, answers PING with PONG (Jetty's core
 * does not) and asks for the next frame after each one ({@link CoreSession#demand}); the rules are
 * {@link ConnectionRules}'.
 *
 * <p>Outbound, without an extension, its text frames and pongs go through its {@link DirectFrameWriter}
 * straight to the end point, and every close Jetty writes (ours, the reply to the client's close, the 1007
 * of invalid UTF-8) is handed to Jetty only once no frame of that writer is being written.
 *
 * <p>Threads: Jetty calls {@code onOpen}, then {@code onFrame} one frame at a time (the next only after
 * {@code demand()}), then {@code onClosed}; the {@link Wire} methods run on any thread (Jetty's
 * {@link CoreSession} and the {@link DirectFrameWriter} are thread-safe).
 */
final class JettyFrameHandler implements FrameHandler, Wire {
  private static final AtomicLong ids = new AtomicLong();
  private static final Consumer<Throwable> IGNORED = x -> { }; // a pong's outcome, as Callback.NOOP

  private final JobProgressWebSocket socket;
  private final long number;
  // the handshake's outcome: written by the negotiating thread, read and cleared once in onOpen (Jetty
  // hands the handler over between them)
  private Object outcome;
  // written once in onOpen, read by the pipeline's threads afterwards (volatile)
  private volatile CoreSession session;
  private volatile ConnectionRules rules;
  // writes this connection's text frames and pongs straight to its end point when no extension was
  // negotiated (see sendText), else null: written once in onOpen, read by the pipeline's threads afterwards
  // (volatile, written before session)
  private volatile DirectFrameWriter writer;
  // the message being received: owned by the thread in onFrame (Jetty delivers one frame at a time)
  private byte messageOpCode;
  private boolean discarding;
  private byte[] pending;
  private int pendingLength;

  JettyFrameHandler(JobProgressWebSocket socket, Object outcome) {
    this.socket = socket;
    this.outcome = outcome;
    this.number = ids.incrementAndGet();
  }

  @Override
  public void onOpen(CoreSession coreSession, Callback callback) {
    if (coreSession instanceof WebSocketCoreSession core && core.getNegotiatedExtensions().isEmpty()) {
      long max = core.getMaxFrameSize();
      writer = new DirectFrameWriter(core.getConnection().getEndPoint(),
          max <= 0 || max > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) max);
    }
    session = coreSession;
    callback.succeeded(); // open: frames may be sent from here on
    Object o = outcome;
    outcome = null;
    rules = ConnectionRules.open(socket, this, o);
    coreSession.demand(); // also for a refused connection: the client's close reply must be read
  }

  @Override
  public void onFrame(Frame frame, Callback callback) {
    byte op = frame.getOpCode();
    if (op == OpCode.CLOSE) {
      // Jetty answers the close and ends the connection (no more demand), once no direct write is in flight
      afterDirectWrites(callback::succeeded);
      return;
    }
    try {
      switch (op) {
        case OpCode.TEXT, OpCode.BINARY -> {
          messageOpCode = op;
          discarding = false;
          pending = null;
          pendingLength = 0;
          onData(frame, true);
        }
        case OpCode.CONTINUATION -> onData(frame, false);
        case OpCode.PING -> {
          DirectFrameWriter w = writer;
          if (w != null) {
            w.writePong(copy(frame.getPayload()), IGNORED);
          } else {
            session.sendFrame(new Frame(OpCode.PONG).setPayload(copy(frame.getPayload())), Callback.NOOP, false);
          }
        }
        case OpCode.PONG -> {
          ConnectionRules r = rules;
          if (r != null && r.accepts()) {
            r.onPong();
          }
        }
        default -> { }
      }
    } catch (CharacterCodingException e) {
      afterDirectWrites(() -> callback.failed(new BadPayloadException("invalid UTF-8 in a text message")));
      return;
    }
    callback.succeeded();
    session.demand();
  }

  private void onData(Frame frame, boolean first) throws CharacterCodingException {
    ConnectionRules r = rules;
    if (r == null || !r.accepts() || discarding) {
      return;
    }
    if (messageOpCode == OpCode.BINARY) {
      discarding = true;
      if (first) {
        r.onBinary();
      }
      return;
    }
    int length = frame.getPayloadLength();
    if (!r.withinLimit((long) pendingLength + length)) {
      discarding = true;
      pending = null;
      return;
    }
    if (frame.isFin() && pending == null) {
      r.onCheckedText(decode(frame.hasPayload() ? frame.getPayload() : ByteBuffer.allocate(0)));
      return;
    }
    if (length > 0) {
      if (pending == null || pending.length - pendingLength < length) {
        pending = Arrays.copyOf(pending == null ? new byte[0] : pending,
            Math.max(pendingLength + length, pending == null ? 0 : 2 * pending.length));
      }
      frame.getPayload().slice().get(pending, pendingLength, length);
      pendingLength += length;
    }
    if (frame.isFin()) {
      ByteBuffer whole = ByteBuffer.wrap(pending == null ? new byte[0] : pending, 0, pendingLength);
      pending = null;
      pendingLength = 0;
      r.onCheckedText(decode(whole));
    }
  }

  private static String decode(ByteBuffer utf8) throws CharacterCodingException {
    return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(utf8.slice()).toString();
  }

  private static ByteBuffer copy(ByteBuffer payload) {
    if (payload == null) {
      return ByteBuffer.allocate(0);
    }
    ByteBuffer copy = ByteBuffer.allocate(payload.remaining());
    copy.put(payload.slice()).flip();
    return copy;
  }

  @Override
  public void onError(Throwable cause, Callback callback) {
    ConnectionRules.onError(rules, cause);
    callback.succeeded();
  }

  @Override
  public void onClosed(CloseStatus closeStatus, Callback callback) {
    pending = null;
    DirectFrameWriter w = writer;
    if (w != null) {
      w.onClosed(null);
    }
    ConnectionRules r = rules;
    if (r != null) {
      r.onContainerClose();
    }
    callback.succeeded();
  }

  /** Jetty's session of this connection (null before {@code onOpen}): what Jetty keeps per connection. */
  CoreSession coreSession() {
    return session;
  }

  /** Whether this connection's frames skip the session's layers and Jetty's flusher (see {@link #sendText}). */
  boolean sendsDirect() {
    return writer != null;
  }

  /** Whether the direct writer refuses frames now: a close was requested or received (tests). */
  boolean directWritesClosed() {
    DirectFrameWriter w = writer;
    return w != null && w.closed();
  }

  /** See {@link Wire#id}: {@code j-} and a number unique in this JVM. */
  @Override
  public String id() {
    return "j-" + Long.toString(number, 36);
  }

  /**
   * See {@link Wire#sendText}; never blocks. One event's frame text (one {@code String}, shared by every
   * connection it goes to) is sent to its connections one after another, so the UTF-8 bytes of the last
   * text sent by any connection are kept and reused when the same text object comes next: it is encoded
   * once per event, not once per connection. Nothing writes into a frame's payload (server frames are not
   * masked; permessage-deflate, when a client offers it, compresses into its own buffers), so connections
   * can share the bytes.
   *
   * <p>When no extension was negotiated the frame goes straight to the connection's end point through its
   * {@link DirectFrameWriter} (fragmented above the frame limit, as Jetty would), instead of through the
   * session's layers and Jetty's frame flusher: those add nothing for one unmasked text frame. Skipping the
   * session's layers took the server's CPU per delivered frame from 16.7 to 14.3 us in the load benchmark;
   * skipping the flusher too took 6-11 % more off it (docs/benchmarks.md). Nothing is lost by it: the writer
   * refuses every frame after the close (the send then fails like any other), and frames keep their order
   * because the pipeline ({@link SessionConnection}) has at most one send in flight per connection.
   */
  @Override
  public void sendText(String text, Consumer<Throwable> done) {
    DirectFrameWriter w = writer;
    if (w != null) {
      w.writeText(Utf8.of(text), done);
    } else {
      session.sendFrame(new Frame(OpCode.TEXT).setPayload(Utf8.of(text)), Callback.from(() -> done.accept(null), done),
          false);
    }
  }

  /**
   * The last text encoded and its bytes. Any thread: the pair is immutable and replaced whole, so a reader
   * sees a matching pair or encodes the text itself; identity, not equality, decides a hit.
   */
  private record Utf8(String text, byte[] bytes) {
    private static volatile Utf8 last;

    static ByteBuffer of(String text) {
      Utf8 l = last;
      if (l == null || l.text != text) {
        l = new Utf8(text, text.getBytes(StandardCharsets.UTF_8));
        last = l;
      }
      return ByteBuffer.wrap(l.bytes);
    }
  }

  @Override
  public boolean isOpen() {
    CoreSession s = session;
    return s != null && s.isOutputOpen();
  }

  /** Nothing per connection: the negotiator configured the text limit and switched the idle timer off. */
  @Override
  public void accept(int containerTextLimit) {
  }

  /**
   * See {@link Wire#close}; does not block: {@code done} runs once the close frame was written (after the
   * frames queued before it) or could not be. A client that never answers the close is dropped after the
   * slow-consumer timeout (the idle timer, off while open, is set to it).
   */
  @Override
  public void close(CloseReason reason, Runnable done) {
    CoreSession s = session;
    if (s == null || !s.isOutputOpen()) {
      done.run();
      return;
    }
    s.setIdleTimeout(socket.transport().slowConsumerTimeout());
    afterDirectWrites(() -> s.close(reason.code(), reason.reason(), Callback.from(done)));
  }

  /**
   * Runs {@code close}, which has Jetty write a close frame through its flusher, once no frame of the
   * {@link DirectFrameWriter} is being written (an end point takes one write at a time); at once without
   * one. No direct frame is written after it.
   */
  private void afterDirectWrites(Runnable close) {
    DirectFrameWriter w = writer;
    if (w != null) {
      w.closeAfterWrites(close);
    } else {
      close.run();
    }
  }
}
