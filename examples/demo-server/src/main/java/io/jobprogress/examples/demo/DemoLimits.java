package io.jobprogress.examples.demo;

import java.util.Map;

/**
 * The demo's protective settings, read from the environment (see the README's table): who may read the
 * full stats, how much auth and job traffic one client may cause, and how the embedded Jetty bounds
 * connections that never finish their request.
 *
 * <p>Immutable. {@link #fromEnvironment} validates and names the bad variable and value in its error (never
 * echoing {@code STATS_TOKEN}).
 *
 * @param statsToken {@code STATS_TOKEN}: when set, {@code GET /api/ws/stats} needs
 *     {@code Authorization: Bearer <STATS_TOKEN>}; null keeps the endpoint open
 * @param authPerMinute {@code DEMO_AUTH_PER_MINUTE}, register + login requests per client address per
 *     minute, default 30; 0 = no limit
 * @param maxQueuedJobsPerUser {@code DEMO_MAX_QUEUED_JOBS_PER_USER}, jobs not yet finished per user,
 *     default 10; 0 = no limit
 * @param headerTimeoutMillis {@code DEMO_HEADER_TIMEOUT_MS}, how long a new connection has to deliver its
 *     first request's headers (the WebSocket upgrade included), default 10000
 * @param idleTimeoutMillis {@code DEMO_IDLE_TIMEOUT_MS}, Jetty's connector idle timeout for HTTP (each
 *     silence while reading a request, and idle keep-alive connections), default 30000
 * @param maxConnections {@code DEMO_MAX_CONNECTIONS}, open connections the server accepts in total
 *     (HTTP and WebSocket), default 10000; 0 = no limit
 * @param acceptQueue {@code DEMO_ACCEPT_QUEUE}, the listening socket's backlog, default 1024 (the kernel caps
 *     it at {@code net.core.somaxconn})
 * @param maxThreads {@code DEMO_MAX_THREADS}, the most threads Jetty's pool may start, default 4 per core and
 *     at least 12 ({@link #defaultMaxThreads()}): WebSocket I/O does not hold a thread per connection, and a
 *     few threads per core keep every core busy while a larger pool only adds stacks, native memory and
 *     switches under a burst of handshakes
 */
public record DemoLimits(String statsToken, int authPerMinute, int maxQueuedJobsPerUser,
    long headerTimeoutMillis, long idleTimeoutMillis, int maxConnections, int acceptQueue, int maxThreads) {

  /** Checks the ranges. */
  public DemoLimits {
    atLeast("DEMO_AUTH_PER_MINUTE", authPerMinute, 0);
    atLeast("DEMO_MAX_QUEUED_JOBS_PER_USER", maxQueuedJobsPerUser, 0);
    atLeast("DEMO_HEADER_TIMEOUT_MS", headerTimeoutMillis, 1);
    atLeast("DEMO_IDLE_TIMEOUT_MS", idleTimeoutMillis, 1);
    atLeast("DEMO_MAX_CONNECTIONS", maxConnections, 0);
    atLeast("DEMO_ACCEPT_QUEUE", acceptQueue, 1);
    atLeast("DEMO_MAX_THREADS", maxThreads, 8);
  }

  /**
   * Reads the settings from {@code env} (usually {@code System.getenv()}).
   *
   * @throws IllegalArgumentException naming the variable with a bad value
   */
  public static DemoLimits fromEnvironment(Map<String, String> env) {
    String token = env.get("STATS_TOKEN");
    return new DemoLimits(token == null || token.isBlank() ? null : token.trim(),
        (int) number(env, "DEMO_AUTH_PER_MINUTE", 30),
        (int) number(env, "DEMO_MAX_QUEUED_JOBS_PER_USER", 10),
        number(env, "DEMO_HEADER_TIMEOUT_MS", 10_000),
        number(env, "DEMO_IDLE_TIMEOUT_MS", 30_000),
        (int) number(env, "DEMO_MAX_CONNECTIONS", 10_000),
        (int) number(env, "DEMO_ACCEPT_QUEUE", 1024),
        (int) number(env, "DEMO_MAX_THREADS", defaultMaxThreads()));
  }

  /**
   * {@code DEMO_MAX_THREADS}' default: 4 per available core, at least 12 (12 on the 2-core machine of
   * docs/benchmarks.md, where each thread the pool starts costs about 0.3-1 MB of RSS: 32 threads against 12
   * measured 2-3 KB more RSS per connection at 5,000 connections and ~1 KB at 10,000, with the same
   * handshake rate).
   */
  public static int defaultMaxThreads() {
    return Math.max(12, 4 * Runtime.getRuntime().availableProcessors());
  }

  private static long number(Map<String, String> env, String key, long fallback) {
    String v = env.get(key);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      long n = Long.parseLong(v.trim());
      if (n > Integer.MAX_VALUE) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, was \"" + v.trim() + "\"");
    }
  }

  private static void atLeast(String key, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(key + " must be >= " + min + ", was " + value);
    }
  }
}
