package io.jobprogress.redis;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.clients.jedis.Jedis;

/**
 * A real {@code redis-server} on a free loopback port, started and stopped by a test (no persistence).
 * One per test class: {@code @RegisterExtension static final RedisServerProcess redis =
 * RedisServerProcess.perClass();} starts it before the class and kills it after; {@link #start()} starts
 * one at once (the caller closes it).
 * {@link #kill()} SIGKILLs it and {@link #restart()} brings it back on the same port, for fault tests.
 * Fails with one line when redis-server is not on PATH. Not thread-safe.
 */
public final class RedisServerProcess implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
  private final int port;
  private Process process;

  private RedisServerProcess(int port) {
    this.port = port;
  }

  /** Starts a server on a free port and waits until it answers PING. */
  public static RedisServerProcess start() {
    RedisServerProcess r = new RedisServerProcess(freePort());
    r.launch();
    return r;
  }

  /** A server started before the test class and stopped after it (register as a static extension). */
  public static RedisServerProcess perClass() {
    return new RedisServerProcess(freePort());
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    launch();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  /** The port it listens on (stable across {@link #restart()}). */
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

  /** SIGKILLs the server and waits for it to be gone. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGSTOPs the server: connections stay open but nothing answers (a half-open peer). */
  public void pause() {
    signal("-STOP");
  }

  /** SIGCONTs a paused server. */
  public void resume() {
    signal("-CONT");
  }

  private void signal(String sig) {
    try {
      int rc = new ProcessBuilder("kill", sig, Long.toString(process.pid())).start().waitFor();
      if (rc != 0) {
        throw new IllegalStateException("kill " + sig + " failed with " + rc);
      }
    } catch (IOException e) {
      throw new IllegalStateException("kill " + sig + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts the server again on the same port (empty: nothing is persisted). */
  public void restart() {
    launch();
  }

  private void launch() {
    if (!onPath("redis-server")) {
      throw new IllegalStateException("redis-server is not on PATH; install it: apt-get install redis-server");
    }
    try {
      process = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
          "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"))
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      throw new IllegalStateException("redis-server failed to start: " + e.getMessage(), e);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("redis-server exited with " + process.exitValue() + " on port " + port);
      }
      try (Jedis j = jedis()) {
        if ("PONG".equals(j.ping())) {
          return;
        }
      } catch (RuntimeException e) {
        // not up yet
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
        throw new IllegalStateException("interrupted while redis-server on port " + port
            + " was starting; stopped it");
      }
    }
    process.destroyForcibly();
    throw new IllegalStateException("redis-server did not answer PING on port " + port + " within 10 s");
  }

  private static boolean onPath(String exe) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (new File(dir, exe).canExecute()) {
        return true;
      }
    }
    return false;
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port", e);
    }
  }

  /** Stops the server (SIGKILL; nothing to save). */
  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      kill();
    }
  }
}
