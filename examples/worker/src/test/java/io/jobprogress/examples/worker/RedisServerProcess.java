package io.jobprogress.examples.worker;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;

/**
 * A real {@code redis-server} on a free loopback port without persistence, for one test class.
 * TODO(lead): a minimal stand-in with the same method names as jobprogress-redis' test-jar helper; switch
 * the import to {@code io.jobprogress.redis.RedisServerProcess} when that is merged and delete this.
 * Fails with one line when redis-server is not on PATH. Not thread-safe.
 */
public final class RedisServerProcess implements AutoCloseable {
  private final int port;
  private final Process process;

  private RedisServerProcess(int port, Process process) {
    this.port = port;
    this.process = process;
  }

  /** Starts a server on a free port and waits (bounded) until it answers PING. */
  public static RedisServerProcess start() throws Exception {
    boolean onPath = List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)).stream()
        .anyMatch(d -> new File(d, "redis-server").canExecute());
    if (!onPath) {
      throw new IllegalStateException("redis-server is not on PATH; install it: apt-get install redis-server");
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process p = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--loglevel", "warning")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    RedisServerProcess r = new RedisServerProcess(port, p);
    for (int i = 0; i < 500; i++) {
      if (!p.isAlive()) {
        throw new IllegalStateException("redis-server exited with " + p.exitValue() + " on port " + port);
      }
      try (Jedis j = r.jedis()) {
        if ("PONG".equals(j.ping())) {
          return r;
        }
      } catch (RuntimeException e) {
        TimeUnit.MILLISECONDS.sleep(20); // not up yet
      }
    }
    r.close();
    throw new IllegalStateException("redis-server did not answer PING within 10 s on port " + port);
  }

  public int port() {
    return port;
  }

  /** {@code redis://127.0.0.1:<port>}. */
  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** A new plain connection (the caller closes it). */
  public Jedis jedis() {
    return new Jedis("127.0.0.1", port);
  }

  @Override
  public void close() throws IOException {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
