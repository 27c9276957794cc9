package io.jobprogress.jakarta.ws.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A raw-socket WebSocket client that upgrades, sends text frames, and then never reads: with a tiny
 * receive buffer the server's writes stall at once, as behind a frozen browser tab. It can resume reading
 * ({@link #readFrame}, {@link #readUntilClose}), so a test can let frames pile up on the server and then
 * see exactly what arrives, in order. Not thread-safe.
 */
public final class StalledClient implements AutoCloseable {
  private final Socket socket;
  private final String handshakeStatus;

  private StalledClient(Socket socket, String handshakeStatus) {
    this.socket = socket;
    this.handshakeStatus = handshakeStatus;
  }

  /** Upgrades on {@code host:port} at {@code pathAndQuery} and reads only the handshake response. */
  public static StalledClient connect(String host, int port, String pathAndQuery) throws IOException {
    return connect(host, port, pathAndQuery, java.util.Map.of());
  }

  /** As {@link #connect(String, int, String)} with extra handshake headers (e.g. {@code Origin}). */
  public static StalledClient connect(String host, int port, String pathAndQuery, java.util.Map<String, String> headers)
      throws IOException {
    StringBuilder extra = new StringBuilder();
    headers.forEach((k, v) -> extra.append(k).append(": ").append(v).append("\r\n"));
    Socket s = new Socket();
    s.setReceiveBufferSize(2048);
    s.connect(new InetSocketAddress(host, port), 10_000);
    s.setSoTimeout(10_000);
    OutputStream out = s.getOutputStream();
    out.write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" + extra + "\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = s.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed during the handshake: " + head);
      }
      head.write(b);
    }
    String response = head.toString(StandardCharsets.ISO_8859_1);
    return new StalledClient(s, response.substring(0, response.indexOf('\r')));
  }

  /** The handshake's status line, e.g. {@code HTTP/1.1 101 Switching Protocols}. */
  public String handshakeStatus() {
    return handshakeStatus;
  }

  /** Sends one masked text frame (payload under 64 KiB). */
  public void sendText(String text) throws IOException {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.write(0x81);
    if (payload.length < 126) {
      f.write(0x80 | payload.length);
    } else {
      f.write(0x80 | 126);
      f.write(payload.length >>> 8);
      f.write(payload.length & 0xff);
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    f.write(mask);
    for (int i = 0; i < payload.length; i++) {
      f.write(payload[i] ^ mask[i % 4]);
    }
    socket.getOutputStream().write(f.toByteArray());
    socket.getOutputStream().flush();
  }

  /** Whether the server closed the TCP connection (reads what is buffered until EOF or a timeout). */
  public boolean readsToEnd() {
    try {
      socket.setSoTimeout(10_000);
      InputStream in = socket.getInputStream();
      byte[] buf = new byte[65536];
      while (in.read(buf) >= 0) {
        // discard
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A frame as received: a text frame ({@code code} -1) or the close frame (its code and reason). */
  public record Frame(String text, int code, String reason) {
    /** Whether this is the close frame. */
    public boolean isClose() {
      return code >= 0;
    }
  }

  /** Reads the next text or close frame (pings and pongs are skipped), waiting up to 10 s. */
  public Frame readFrame() throws IOException {
    socket.setSoTimeout(10_000);
    DataInputStream in = new DataInputStream(socket.getInputStream());
    ByteArrayOutputStream message = new ByteArrayOutputStream();
    while (true) {
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
        return new Frame(null, code, reason);
      }
      if (opcode == 0x1 || opcode == 0x0) {
        message.write(payload);
        if ((b0 & 0x80) != 0) {
          return new Frame(message.toString(StandardCharsets.UTF_8), -1, null);
        }
      }
    }
  }

  /** Reads every frame up to and including the close frame. */
  public List<Frame> readUntilClose() throws IOException {
    List<Frame> frames = new ArrayList<>();
    Frame f;
    do {
      f = readFrame();
      frames.add(f);
    } while (!f.isClose());
    return frames;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
