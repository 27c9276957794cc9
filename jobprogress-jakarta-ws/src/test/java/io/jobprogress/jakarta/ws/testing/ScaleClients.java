package io.jobprogress.jakarta.ws.testing;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.jobprogress.core.TestTokens;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A separate process holding many WebSocket connections for {@code ConnectionScaleIT}: a single-threaded NIO
 * raw-socket client (HTTP upgrade, masked text frames out, unmasked frames in). Connection {@code i} is user
 * {@code scale-user-i} with a {@link TestTokens} JWT in the query; on {@code connected} it subscribes to
 * {@code scale-job-i} and then counts the progress frames it gets: its own job's terminal state, and any
 * frame of another job (which must never come).
 *
 * <p>Why a process: the server's and the clients' sockets together would not fit under one JVM's open-file
 * limit. Protocol with the parent on stdout: {@code READY <n> <ms>} once all {@code n} connections are
 * subscribed (ms since the first connect), {@code DONE} once every connection has its terminal state,
 * {@code FAIL <why>} on a broken handshake or frame. On stdin: {@code summary} prints
 * {@code SUMMARY terminal=.. foreign=.. errors=.. closed=..}; end of input exits.
 *
 * <p>Usage: {@code ScaleClients <port> <connections>}. Threading: one selector thread owns every connection;
 * the counters are volatile for the stdin thread.
 */
public final class ScaleClients {
  private static final int IN_FLIGHT = 64; // handshakes in progress at once (stay under the accept backlog)
  private final int port;
  private final int total;
  private final Selector selector;
  private volatile int ready;
  private volatile int terminal;
  private volatile int foreign;
  private volatile int errors;
  private volatile int closed;
  private int opened;
  private long started;

  private ScaleClients(int port, int total) throws IOException {
    this.port = port;
    this.total = total;
    this.selector = Selector.open();
  }

  public static void main(String[] args) throws Exception {
    ScaleClients clients = new ScaleClients(Integer.parseInt(args[0]), Integer.parseInt(args[1]));
    Thread commands = new Thread(clients::readCommands, "scale-commands");
    commands.setDaemon(true);
    commands.start();
    clients.run();
  }

  private void readCommands() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.equals("summary")) {
          say("SUMMARY terminal=" + terminal + " foreign=" + foreign + " errors=" + errors + " closed=" + closed
              + " ready=" + ready);
        }
      }
    } catch (IOException e) {
      // the parent is gone: exit below
    }
    System.exit(0);
  }

  private static synchronized void say(String line) {
    System.out.println(line);
    System.out.flush();
  }

  private void run() throws IOException {
    started = System.nanoTime();
    boolean done = false;
    while (true) {
      while (opened < total && opened - ready < IN_FLIGHT) {
        open(opened++);
      }
      selector.select(1000);
      Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
      while (keys.hasNext()) {
        SelectionKey key = keys.next();
        keys.remove();
        Conn c = (Conn) key.attachment();
        try {
          if (key.isConnectable()) {
            c.channel.finishConnect();
            write(c.channel, ByteBuffer.wrap(("GET /ws?token=" + TestTokens.token(user(c.index)) + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII)));
            key.interestOps(SelectionKey.OP_READ);
          } else if (key.isReadable()) {
            read(c, key);
          }
        } catch (IOException | RuntimeException e) {
          fail(c, e.toString());
          key.cancel();
          c.channel.close();
        }
      }
      if (!done && ready == total && terminal == total) {
        done = true;
        say("DONE");
      }
    }
  }

  private void open(int index) throws IOException {
    SocketChannel ch = SocketChannel.open();
    ch.configureBlocking(false);
    Conn c = new Conn(index, ch);
    if (ch.connect(new InetSocketAddress("127.0.0.1", port))) {
      throw new IOException("loopback connect completed at once; not expected with a non-blocking channel");
    }
    ch.register(selector, SelectionKey.OP_CONNECT, c);
  }

  private void read(Conn c, SelectionKey key) throws IOException {
    int n = c.channel.read(c.in);
    if (n < 0) {
      closed++;
      fail(c, "connection ended by the server");
      key.cancel();
      c.channel.close();
      return;
    }
    c.in.flip();
    if (!c.open) {
      int end = headEnd(c.in);
      if (end < 0) {
        c.in.compact();
        return;
      }
      String head = StandardCharsets.ISO_8859_1.decode(c.in.slice(0, end)).toString();
      if (!head.startsWith("HTTP/1.1 101")) {
        throw new IOException("handshake refused: " + head.lines().findFirst().orElse(""));
      }
      c.in.position(end);
      c.open = true;
    }
    while (frame(c)) {
      // one complete frame handled per pass
    }
    c.in.compact();
  }

  /** Handles one complete frame at the buffer's position, or returns false leaving the position alone. */
  private boolean frame(Conn c) throws IOException {
    ByteBuffer b = c.in;
    int start = b.position();
    if (b.remaining() < 2) {
      return false;
    }
    int b0 = b.get() & 0xFF;
    int len = b.get() & 0x7F;
    if (len == 126) {
      if (b.remaining() < 2) {
        b.position(start);
        return false;
      }
      len = b.getShort() & 0xFFFF;
    } else if (len == 127) {
      throw new IOException("frame over 64 KB from the server");
    }
    if (b.remaining() < len) {
      b.position(start);
      if (b.capacity() < len + 4) {
        throw new IOException("frame of " + len + " bytes over the client buffer");
      }
      return false;
    }
    byte[] payload = new byte[len];
    b.get(payload);
    if ((b0 & 0x80) == 0) {
      throw new IOException("fragmented frame (not expected for small JSON frames)");
    }
    int opcode = b0 & 0x0F;
    if (opcode == 8) {
      closed++;
      throw new IOException("close frame from the server, code " + (len >= 2 ? ((payload[0] & 0xFF) << 8 | (payload[1] & 0xFF)) : -1));
    } else if (opcode == 9) {
      send(c, 0xA, payload);
    } else if (opcode == 1) {
      text(c, new String(payload, StandardCharsets.UTF_8));
    }
    return true;
  }

  private void text(Conn c, String json) throws IOException {
    JsonObject f = JsonParser.parseString(json).getAsJsonObject();
    String type = f.get("type").getAsString();
    switch (type) {
      case "connected" -> send(c, 1, ("{\"type\":\"subscribe\",\"data\":{\"jobId\":\"" + job(c.index) + "\"}}")
          .getBytes(StandardCharsets.UTF_8));
      case "subscribed" -> {
        if (++ready == total) {
          say("READY " + total + " " + (System.nanoTime() - started) / 1_000_000);
        }
      }
      case "progress" -> {
        if (!job(c.index).equals(f.get("jobId").getAsString()) || !user(c.index).equals(f.get("userId").getAsString())) {
          foreign++;
          fail(c, "frame of another job or user: " + json);
        } else if ("completed".equals(f.get("status").getAsString()) && !c.terminal) {
          c.terminal = true;
          terminal++;
        }
      }
      case "error" -> fail(c, "error frame: " + json);
      default -> { }
    }
  }

  private void fail(Conn c, String why) {
    errors++;
    if (errors <= 20) {
      say("FAIL connection " + c.index + ": " + why);
    }
  }

  /** Sends one masked frame with {@code opcode}; payloads here are small (under 126 bytes). */
  private static void send(Conn c, int opcode, byte[] payload) throws IOException {
    if (payload.length > 125) {
      throw new IOException("client frame over 125 bytes: " + payload.length);
    }
    ByteBuffer out = ByteBuffer.allocate(6 + payload.length);
    out.put((byte) (0x80 | opcode)).put((byte) (0x80 | payload.length));
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    out.put(mask);
    for (int i = 0; i < payload.length; i++) {
      out.put((byte) (payload[i] ^ mask[i % 4]));
    }
    out.flip();
    write(c.channel, out);
  }

  /** Writes all of {@code buf}; the frames are tiny, so a fresh socket's send buffer always takes them. */
  private static void write(SocketChannel ch, ByteBuffer buf) throws IOException {
    ch.write(buf);
    if (buf.hasRemaining()) {
      throw new IOException("socket send buffer full for a " + buf.limit() + "-byte write");
    }
  }

  private static int headEnd(ByteBuffer b) {
    for (int i = b.position(); i + 3 < b.limit(); i++) {
      if (b.get(i) == '\r' && b.get(i + 1) == '\n' && b.get(i + 2) == '\r' && b.get(i + 3) == '\n') {
        return i + 4 - b.position();
      }
    }
    return -1;
  }

  static String user(int i) {
    return "scale-user-" + i;
  }

  static String job(int i) {
    return "scale-job-" + i;
  }

  /** One connection's state. */
  private static final class Conn {
    final int index;
    final SocketChannel channel;
    final ByteBuffer in = ByteBuffer.allocate(8192);
    boolean open;
    boolean terminal;

    Conn(int index, SocketChannel channel) {
      this.index = index;
      this.channel = channel;
    }
  }
}
