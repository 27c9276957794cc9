package io.jobprogress.jakarta.ws;

import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.Callback;

/**
 * Writes one Jetty core connection's own frames (its text frames and its pongs) straight to the connection's
 * {@link EndPoint}, one gathering write per frame, instead of through Jetty's per-connection frame flusher.
 * The flusher's work per frame (a queue entry, three lock round trips, a pooled header buffer, a list and an
 * array, its write-timeout bookkeeping and its iterating-callback states) was ~13 % of the server's CPU at
 * 20,000 frames/s; with this writer the server's CPU per delivered frame was 6-11 % lower in same-run A/B
 * rounds of the load benchmark (docs/benchmarks.md, "Load results on a ninth machine").
 *
 * <p><b>One writer per connection.</b> An {@link EndPoint} takes one write at a time (a second one throws
 * {@code WritePendingException}), and Jetty still writes the frames it originates itself through its
 * flusher: the close frame of {@code CoreSession.close}, the reply to the client's close frame, and the close
 * frame of a protocol error found by Jetty's parser. So this writer and the flusher take turns:
 * <ul>
 *   <li>a close (ours, the reply to the client's, the 1007 of invalid UTF-8) is handed to Jetty only once no
 *       write of this writer is in flight ({@link #closeAfterWrites}), and before the finished write's
 *       callback runs (that callback lets the pipeline try its next frame, which is refused and would close
 *       with 1011 first); from then on this writer refuses every frame ({@link ClosedChannelException}, as
 *       the flusher refuses frames after a close frame);
 *   <li>a protocol error found by Jetty's parser while one of this writer's writes is in flight makes the
 *       flusher's close frame fail and Jetty close the connection without it (the client sees 1006, not 1002):
 *       the one case left to chance, for a client that already broke the protocol.
 * </ul>
 *
 * <p><b>Frames.</b> Server frames are not masked and carry no reserved bits (no extension was negotiated:
 * only then is this writer used). A text payload above the connection's frame limit leaves as fragments of
 * at most that limit, in the same write, so nothing interleaves them. A pong waits for the write in flight
 * and leaves before a text that waits; only the newest pong waits (RFC 6455 §5.5.3 allows answering only the
 * most recent ping), so a flood of pings cannot grow this writer's memory.
 *
 * <p><b>Threads.</b> Thread-safe: every field below is guarded by this object's lock, which is never held
 * while writing or while completing a callback. {@link #writeText}, {@link #writePong} and
 * {@link #closeAfterWrites} run on any thread; a write completes on the writing thread (when the socket took
 * it whole) or on Jetty's selector thread, which then starts the next one ({@link #pump}: a loop, never a
 * recursion). At most one text frame waits: the connection's pipeline ({@link SessionConnection}) has at
 * most one in flight. The writer is itself the callback of its writes ({@link #succeeded}, {@link #failed}:
 * for Jetty only), so a connection holds one object for it.
 */
final class DirectFrameWriter implements Callback {
  private static final byte FIN = (byte) 0x80;
  private static final byte TEXT = 0x1;
  private static final byte CONTINUATION = 0x0;
  private static final byte PONG = 0xA;

  private final EndPoint endPoint;
  private final int maxPayload;
  // guarded by this
  private boolean writing; // a write was handed to the end point and has not completed
  private boolean pumping; // a thread is in pump(), handing waiting frames to the end point one by one
  private Consumer<Throwable> inFlight; // the callback of the write in flight
  private ByteBuffer[] waitingPong;
  private Consumer<Throwable> waitingPongCallback;
  private ByteBuffer[] waitingText;
  private Consumer<Throwable> waitingTextCallback;
  private Runnable closeAction; // the closes asked for while a write was in flight: run once none is
  private boolean closed; // a close was requested, received or the connection failed: refuse frames

  DirectFrameWriter(EndPoint endPoint, int maxPayload) {
    this.endPoint = endPoint;
    this.maxPayload = maxPayload;
  }

  /**
   * Writes {@code payload} as one text message (fragmented above the frame limit); then {@code done} gets
   * null, or why it was not written (as {@link Wire#sendText}'s: no object per frame for the completion).
   */
  void writeText(ByteBuffer payload, Consumer<Throwable> done) {
    write(text(payload, maxPayload), done, false);
  }

  /** Writes a pong carrying {@code payload} (at most 125 bytes, as its ping's); {@code done} as above. */
  void writePong(ByteBuffer payload, Consumer<Throwable> done) {
    write(new ByteBuffer[] {header(FIN | PONG, payload.remaining()), payload}, done, true);
  }

  private void write(ByteBuffer[] frame, Consumer<Throwable> done, boolean pong) {
    Consumer<Throwable> refused = null;
    Consumer<Throwable> replaced = null;
    boolean pump = false;
    synchronized (this) {
      if (closed) {
        refused = done;
      } else if (pong) {
        replaced = waitingPongCallback; // only the newest pong waits
        waitingPong = frame;
        waitingPongCallback = done;
      } else if (waitingText == null) {
        waitingText = frame;
        waitingTextCallback = done;
      } else {
        refused = done; // the pipeline sends one text at a time; a second one is a bug, not a frame to lose
      }
      if (refused == null && !writing && !pumping) {
        pumping = true;
        pump = true;
      }
    }
    if (refused != null) {
      refused.accept(closed() ? new ClosedChannelException() : new IllegalStateException("a text frame already waits"));
      return;
    }
    if (replaced != null) {
      replaced.accept(new CancellationException("a newer pong replaced it"));
    }
    if (pump) {
      pump();
    }
  }

  /**
   * Hands waiting frames to the end point one at a time (the newest pong first) while each write completes
   * at once, and returns when one is pending (its completion resumes here) or nothing waits (then runs the
   * closes asked for meanwhile). A loop, not a recursion: a write that completes on the writing thread
   * calls {@link #succeeded} inside {@code EndPoint.write}, which only completes that frame, so a stream of
   * pongs cannot deepen the stack.
   */
  private void pump() {
    while (true) {
      ByteBuffer[] next = null;
      Runnable close = null;
      synchronized (this) {
        if (writing) {
          pumping = false; // the pending write's completion resumes
          return;
        }
        if (waitingPong != null) {
          next = waitingPong;
          inFlight = waitingPongCallback;
          waitingPong = null;
          waitingPongCallback = null;
        } else if (waitingText != null) {
          next = waitingText;
          inFlight = waitingTextCallback;
          waitingText = null;
          waitingTextCallback = null;
        } else {
          pumping = false;
          close = closeAction;
          closeAction = null;
        }
        writing = next != null;
      }
      if (next == null) {
        if (close != null) {
          close.run();
        }
        return;
      }
      try {
        endPoint.write(this, next);
      } catch (RuntimeException e) { // WritePendingException: Jetty's flusher is writing its close frame
        fail(e, false); // let it: the connection is closing anyway
      }
    }
  }

  /**
   * Runs {@code close} (which hands a close to Jetty) once no write of this writer is in flight and no frame
   * waits, at once when none does; every frame after this is refused. Closes asked for meanwhile run then in
   * the order asked (Jetty ignores all but the first).
   */
  void closeAfterWrites(Runnable close) {
    synchronized (this) {
      closed = true;
      if (writing || pumping) {
        Runnable before = closeAction;
        closeAction = before == null ? close : () -> {
          before.run();
          close.run();
        };
        return;
      }
    }
    close.run();
  }

  /** Whether frames are refused now: a close was requested or received, or the connection failed. */
  synchronized boolean closed() {
    return closed;
  }

  /** The connection is gone: frames that wait are failed, later ones refused. */
  void onClosed(Throwable cause) {
    Consumer<Throwable> pong;
    Consumer<Throwable> text;
    synchronized (this) {
      closed = true;
      pong = waitingPongCallback;
      text = waitingTextCallback;
      waitingPong = null;
      waitingText = null;
      waitingPongCallback = null;
      waitingTextCallback = null;
    }
    Throwable failure = cause != null ? cause : new ClosedChannelException();
    if (pong != null) {
      pong.accept(failure);
    }
    if (text != null) {
      text.accept(failure);
    }
  }

  /**
   * For Jetty: the write in flight is done. Hands over the closes asked for meanwhile when nothing else
   * waits, completes the frame, and resumes the pump when frames wait and no thread is pumping.
   */
  @Override
  public void succeeded() {
    Consumer<Throwable> done;
    Runnable close = null;
    boolean resume = false;
    synchronized (this) {
      writing = false;
      done = inFlight;
      inFlight = null;
      if (waitingPong == null && waitingText == null) {
        close = closeAction;
        closeAction = null;
      } else if (!pumping) {
        pumping = true;
        resume = true;
      }
    }
    if (close != null) {
      // first: completing the frame lets the pipeline send its next one, which is refused, and a refused
      // send closes with 1011; the close handed over here (the client's, 1007, ours) must be Jetty's first
      close.run();
    }
    if (done != null) {
      done.accept(null);
    }
    if (resume) {
      pump();
    }
  }

  /** For Jetty: the write in flight failed. Fails it and what waits, closes the connection, runs the close. */
  @Override
  public void failed(Throwable cause) {
    fail(cause, true);
  }

  private void fail(Throwable cause, boolean closeEndPoint) {
    Consumer<Throwable> done;
    Runnable close;
    synchronized (this) {
      done = inFlight;
      inFlight = null;
      writing = false;
      close = closeAction;
      closeAction = null;
    }
    onClosed(cause); // refuses every later frame and fails those waiting, so a pumping loop ends
    if (done != null) {
      done.accept(cause);
    }
    if (closeEndPoint) {
      endPoint.close(cause);
    }
    if (close != null) {
      close.run();
    }
  }

  /** The frames of one text message: a header per fragment of at most {@code max} bytes, then its bytes. */
  static ByteBuffer[] text(ByteBuffer payload, int max) {
    int length = payload.remaining();
    if (length <= max) {
      return new ByteBuffer[] {header(FIN | TEXT, length), payload};
    }
    int fragments = (length + max - 1) / max;
    ByteBuffer[] frames = new ByteBuffer[2 * fragments];
    int start = payload.position();
    for (int i = 0; i < fragments; i++) {
      int from = start + i * max;
      int size = Math.min(max, length - i * max);
      boolean last = i == fragments - 1;
      frames[2 * i] = header((last ? FIN : 0) | (i == 0 ? TEXT : CONTINUATION), size);
      frames[2 * i + 1] = payload.duplicate().limit(from + size).position(from);
    }
    return frames;
  }

  /** An unmasked frame header: the first byte, then the payload length in 7, 7+16 or 7+64 bits. */
  static ByteBuffer header(int first, int length) {
    ByteBuffer h;
    if (length < 126) {
      h = ByteBuffer.allocate(2).put((byte) first).put((byte) length);
    } else if (length <= 0xFFFF) {
      h = ByteBuffer.allocate(4).put((byte) first).put((byte) 126).putShort((short) length);
    } else {
      h = ByteBuffer.allocate(10).put((byte) first).put((byte) 127).putLong(length);
    }
    return h.flip();
  }
}
