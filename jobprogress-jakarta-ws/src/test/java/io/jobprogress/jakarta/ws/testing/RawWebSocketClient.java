package io.jobprogress.jakarta.ws.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A raw-socket WebSocket client whose reading never depends on its writing: one daemon thread reads and
 * records every frame the server sends, up to its close frame, while the test writes as fast as it likes.
 *
 * <p>Why not {@link RecordingClient} for clients that write while the server closes them (a flood, a frame
 * over a limit, a binary stream): several containers (Jetty for any close code but 1000/1005/3000+) close
 * the TCP connection right after their close frame, without waiting for the client's, so the socket answers
 * the client's next bytes with a reset. The kernel keeps the close frame readable, but the JDK client fails
 * its reading side with its write error ("Broken pipe") and never reads it. This client reads what arrived
 * before the reset, so {@link #awaitClose()} reports the server's own close frame; a connection that ends
 * without one still fails the test.
 *
 * <p>Lifecycle: {@link #connect}, write, {@link #awaitClose()}, {@link #close()}. Writes from one thread
 * at a time; the reading side is thread-safe.
 */
public final class RawWebSocketClient implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;
  private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
  // payloads of the pongs received, oldest first
  // while set and not counted down, the reader reads nothing more (set by pause, counted down by resume)
  private volatile CountDownLatch paused;
  private final BlockingQueue<byte[]> pongs = new LinkedBlockingQueue<>();
  private final CompletableFuture<RecordingClient.Close> closed = new CompletableFuture<>();
  // data frames on the wire (a fragmented message counts each fragment): written by the reader thread
  private final AtomicInteger dataFrames = new AtomicInteger();
  // text messages received so far (taking them does not count down): guarded by receivedLock, which is
  // notified on each one and when the reader ends
  private final Object receivedLock = new Object();
  private int received;

  // permessage-deflate's inflater when the server accepted it; used by the reader thread only
  private final Inflater inflater;

  private RawWebSocketClient(Socket socket, InputStream in, boolean deflate) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.inflater = deflate ? new Inflater(true) : null;
    Thread reader = new Thread(() -> readUntilClose(new DataInputStream(in)), "raw-ws-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** Upgrades at {@code pathAndQuery} on the loopback {@code port}; fails unless the answer is 101. */
  public static RawWebSocketClient connect(int port, String pathAndQuery) throws IOException {
    return connect(port, pathAndQuery, false);
  }

  /**
   * As {@link #connect(int, String)}, offering permessage-deflate (RFC 7692) when {@code offerDeflate}, as
   * browsers do; when the server accepts it, compressed messages are inflated as they arrive
   * ({@link #compressed()}).
   */
  public static RawWebSocketClient connect(int port, String pathAndQuery, boolean offerDeflate) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    s.setSoTimeout((int) RecordingClient.WAIT.toMillis());
    s.getOutputStream().write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        + "Sec-WebSocket-Version: 13\r\n" + (offerDeflate ? "Sec-WebSocket-Extensions: permessage-deflate\r\n" : "")
        + "\r\n").getBytes(StandardCharsets.US_ASCII));
    InputStream in = s.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        s.close();
        throw new IOException("connection closed during the handshake: " + head);
      }
      head.write(b);
    }
    String status = head.toString(StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
    if (!status.contains(" 101 ")) {
      s.close();
      throw new IOException("handshake refused: " + status);
    }
    s.setSoTimeout(0); // the reader waits as long as the test does; awaitClose() bounds the wait
    boolean deflate = head.toString(StandardCharsets.ISO_8859_1).lines()
        .anyMatch(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("sec-websocket-extensions:") && l.contains("permessage-deflate"));
    return new RawWebSocketClient(s, in, deflate);
  }

  /** Whether the server accepted permessage-deflate. */
  public boolean compressed() {
    return inflater != null;
  }

  /** A whole message's payload: inflated when its first frame had RSV1 set (RFC 7692, section 7.2.2). */
  private String message(ByteArrayOutputStream payload, boolean rsv1) throws IOException {
    if (!rsv1) {
      return payload.toString(StandardCharsets.UTF_8);
    }
    if (inflater == null) {
      throw new IOException("a compressed message without permessage-deflate");
    }
    payload.write(new byte[] {0, 0, (byte) 0xff, (byte) 0xff});
    inflater.setInput(payload.toByteArray());
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    byte[] chunk = new byte[4096];
    try {
      int n;
      while ((n = inflater.inflate(chunk)) > 0) {
        text.write(chunk, 0, n);
      }
    } catch (DataFormatException e) {
      throw new IOException("a compressed message that does not inflate", e);
    }
    return text.toString(StandardCharsets.UTF_8);
  }

  private void readUntilClose(DataInputStream in) {
    try {
      readFrames(in);
    } finally {
      synchronized (receivedLock) {
        receivedLock.notifyAll();
      }
    }
  }

  private void readFrames(DataInputStream in) {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    boolean rsv1 = false;
    try {
      while (true) {
        CountDownLatch p = paused;
        if (p != null) {
          p.await();
        }
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long len = b1 & 0x7f;
        if (len == 126) {
          len = in.readUnsignedShort();
        } else if (len == 127) {
          len = in.readLong();
        }
        byte[] payload = new byte[Math.toIntExact(len)];
        in.readFully(payload);
        int opcode = b0 & 0x0f;
        if (opcode == 0x8) {
          int code = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
          String reason = payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
          closed.complete(new RecordingClient.Close(code, reason));
          return;
        }
        if (opcode == 0xA) {
          pongs.add(payload);
        }
        if (opcode == 0x1 || opcode == 0x0) {
          dataFrames.incrementAndGet();
          if (opcode == 0x1) {
            rsv1 = (b0 & 0x40) != 0;
          }
          text.write(payload);
          if ((b0 & 0x80) != 0) {
            frames.add(message(text, rsv1));
            text.reset();
            synchronized (receivedLock) {
              received++;
              receivedLock.notifyAll();
            }
          }
        }
      }
    } catch (InterruptedException e) {
      closed.completeExceptionally(e);
    } catch (EOFException e) {
      closed.completeExceptionally(new IOException("the connection ended without a close frame"));
    } catch (IOException | RuntimeException e) {
      closed.completeExceptionally(e);
    }
  }

  /** Sends one masked text frame; throws when the connection is gone. */
  public void sendText(String text) throws IOException {
    send(0x1, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends one masked text frame of raw {@code utf8} bytes, valid UTF-8 or not; throws when the connection is gone. */
  public void sendText(byte[] utf8) throws IOException {
    send(0x1, utf8);
  }

  /** Sends a masked ping carrying {@code payload} (at most 125 bytes); throws when the connection is gone. */
  public void sendPing(byte[] payload) throws IOException {
    send(0x9, payload);
  }

  /** Sends a masked close frame with {@code code} and no reason; throws when the connection is gone. */
  public void sendClose(int code) throws IOException {
    send(0x8, new byte[] {(byte) (code >>> 8), (byte) code});
  }

  /**
   * Stops reading (after the frame being read, if any) until {@link #resume}: the server's writes then stall
   * once the socket buffers are full, as with a client that stopped reading.
   */
  public void pause() {
    paused = new CountDownLatch(1);
  }

  /** Reads again after {@link #pause}. */
  public void resume() {
    CountDownLatch p = paused;
    paused = null;
    if (p != null) {
      p.countDown();
    }
  }

  /** The payload of the next pong, waiting up to {@link RecordingClient#WAIT}; null when none came. */
  public byte[] nextPong() {
    try {
      return pongs.poll(RecordingClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Sends one masked binary frame; throws when the connection is gone. */
  public void sendBinary(byte[] data) throws IOException {
    send(0x2, data);
  }

  /** Sends {@code text} as a frame the server may cut off by closing: a failed write is not an error here. */
  public void sendTextExpectingClose(String text) {
    try {
      sendText(text);
    } catch (IOException refused) {
      // the server closed while the frame was being written: assert the close instead
    }
  }

  /** As {@link #sendTextExpectingClose} for a binary frame. */
  public void sendBinaryExpectingClose(byte[] data) {
    try {
      sendBinary(data);
    } catch (IOException refused) {
      // the server closed while the frame was being written: assert the close instead
    }
  }

  /**
   * Streams binary frames of {@code size} bytes, as an attacker pushing data would, until the server's
   * close frame has arrived (the client honours it, as RFC 6455 asks) or a write fails because the server
   * dropped the connection; returns how many were sent. Fails when neither happens within
   * {@link RecordingClient#WAIT}.
   */
  public int sendBinaryUntilClosed(int size) {
    byte[] payload = new byte[size];
    long deadline = System.nanoTime() + RecordingClient.WAIT.toNanos();
    int sent = 0;
    try {
      while (!closed.isDone()) {
        if (System.nanoTime() > deadline) {
          return fail(sent + " binary frames of " + size + " bytes went through and no close came");
        }
        sendBinary(payload);
        sent++;
      }
    } catch (IOException refused) {
      // the server dropped the connection: the stream is cut off
    }
    return sent;
  }

  private void send(int opcode, byte[] payload) throws IOException {
    ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
    f.write(0x80 | opcode);
    if (payload.length < 126) {
      f.write(0x80 | payload.length);
    } else if (payload.length < 65536) {
      f.write(0x80 | 126);
      f.write(payload.length >>> 8);
      f.write(payload.length & 0xff);
    } else {
      f.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        f.write((int) ((long) payload.length >>> shift) & 0xff);
      }
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    f.write(mask);
    for (int i = 0; i < payload.length; i++) {
      f.write(payload[i] ^ mask[i % 4]);
    }
    out.write(f.toByteArray());
    out.flush();
  }

  /** Asserts the next text frame (waiting up to {@link RecordingClient#WAIT}) has {@code type}; returns it. */
  public JsonObject assertFrame(String type) {
    try {
      String next = frames.poll(RecordingClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertNotNull(next, "no frame within " + RecordingClient.WAIT);
      JsonObject frame = JsonParser.parseString(next).getAsJsonObject();
      assertEquals(type, frame.get("type").getAsString(), () -> "unexpected frame " + frame);
      return frame;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Text data frames received so far, each fragment of a fragmented message counted (messages are {@link #assertFrame}'s). */
  public int dataFrames() {
    return dataFrames.get();
  }

  /**
   * Waits (up to {@link RecordingClient#WAIT}) until at least {@code count} text messages have arrived since
   * the connection opened, taken or not, or the connection is over; returns whether they arrived.
   */
  public boolean awaitReceived(int count) {
    long deadline = System.nanoTime() + RecordingClient.WAIT.toNanos();
    synchronized (receivedLock) {
      while (received < count && !closed.isDone()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(receivedLock, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return received >= count;
    }
  }

  /** Text frames received and not yet taken. */
  public int pendingFrames() {
    return frames.size();
  }

  /** Takes every text frame received so far, oldest first. */
  public List<JsonObject> drain() {
    List<String> texts = new ArrayList<>();
    frames.drainTo(texts);
    return texts.stream().map(t -> JsonParser.parseString(t).getAsJsonObject()).toList();
  }

  /** The server's close frame, waiting up to {@link RecordingClient#WAIT}; fails when none came. */
  public RecordingClient.Close awaitClose() {
    try {
      return closed.get(RecordingClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      return fail("no close frame within " + RecordingClient.WAIT + ": " + e);
    }
  }

  /** Drops the TCP connection. */
  @Override
  public void close() throws IOException {
    socket.close();
  }
}
