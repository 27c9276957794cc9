package io.jobprogress.examples.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy in front of one port (a redis-server) whose "network" can be cut: {@link #cut()}
 * resets every proxied connection and from then on resets each new one right after accepting it (the
 * client sees a refused/reset connection, as behind a broken link), {@link #restore()} lets connections
 * through again. Two pump threads per proxied connection; {@link #open()} counts the live pairs, so a test
 * can see how many connections its servers hold to Redis.
 *
 * <p>Lifecycle: {@link #start}, any number of cut/restore, {@link #close()}. All methods are thread-safe.
 */
final class CuttableProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int targetPort;
  private final Set<Pair> pairs = ConcurrentHashMap.newKeySet();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();
  private volatile boolean cut;
  private volatile boolean closed;

  private CuttableProxy(ServerSocket listener, int targetPort) {
    this.listener = listener;
    this.targetPort = targetPort;
    Thread acceptor = new Thread(this::acceptLoop, "cuttable-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Listens on a free loopback port and forwards to {@code 127.0.0.1:targetPort}. */
  static CuttableProxy start(int targetPort) throws IOException {
    ServerSocket s = new ServerSocket();
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
    return new CuttableProxy(s, targetPort);
  }

  /** {@code redis://127.0.0.1:<proxy port>}. */
  String url() {
    return "redis://127.0.0.1:" + listener.getLocalPort();
  }

  /** Drops every proxied connection now and resets new ones until {@link #restore()}. */
  void cut() {
    cut = true;
    for (Pair p : pairs) {
      p.close();
    }
  }

  /** Lets new connections through again. */
  void restore() {
    cut = false;
  }

  /** Proxied connections open right now. */
  int open() {
    return pairs.size();
  }

  /** Connections reset because the network was cut (at accept). */
  int refused() {
    return refused.get();
  }

  /** Connections accepted and forwarded since the start. */
  int accepted() {
    return accepted.get();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket in;
      try {
        in = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      if (cut) {
        refused.incrementAndGet();
        reset(in);
        continue;
      }
      try {
        Socket out = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        Pair p = new Pair(in, out);
        pairs.add(p);
        accepted.incrementAndGet();
        p.start();
      } catch (IOException e) {
        reset(in); // the target is down: the client sees the same as a refused connection
      }
    }
  }

  private static void reset(Socket s) {
    try {
      s.setSoLinger(true, 0); // RST, not FIN: like a link that went away
      s.close();
    } catch (IOException e) {
      // already gone
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException e) {
      // nothing to do
    }
    for (Pair p : pairs) {
      p.close();
    }
  }

  /** One client connection and its upstream twin; closing either side closes both. */
  private final class Pair {
    private final Socket in;
    private final Socket out;

    Pair(Socket in, Socket out) {
      this.in = in;
      this.out = out;
    }

    void start() {
      pump(in, out, "up");
      pump(out, in, "down");
    }

    private void pump(Socket from, Socket to, String way) {
      Thread t = new Thread(() -> {
        byte[] buf = new byte[16 * 1024];
        try (InputStream i = from.getInputStream(); OutputStream o = to.getOutputStream()) {
          int n;
          while ((n = i.read(buf)) >= 0) {
            o.write(buf, 0, n);
            o.flush();
          }
        } catch (IOException e) {
          // one side went away: close both below
        } finally {
          close();
        }
      }, "cuttable-proxy-" + way);
      t.setDaemon(true);
      t.start();
    }

    void close() {
      if (pairs.remove(this)) {
        reset(in);
        reset(out);
      }
    }
  }
}
