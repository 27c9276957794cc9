package io.jobprogress.examples.demo;

import java.util.Locale;
import java.util.Map;

/**
 * The demo server's settings, read from the environment (see the README's table).
 *
 * <p>Immutable. {@link #fromEnvironment} validates and names the bad variable and value in its error.
 *
 * @param host address to bind ({@code HOST}, default {@code 0.0.0.0})
 * @param port HTTP port ({@code PORT}, default 3000; 0 picks a free one)
 * @param redisUrl {@code REDIS_URL}, or null for the in-memory single instance
 * @param jwtSecret {@code JWT_SECRET} (at least 32 bytes), or null to generate a random one
 * @param wsPath {@code WS_PATH}, default {@code /ws}
 * @param wsEnabled {@code WS_ENABLED}, default true (false: the page polls)
 * @param stepMillis {@code DEMO_STEP_MS}, pause between simulated worker steps, default 700
 * @param worker {@code DEMO_WORKER}: {@code inline} (default) runs jobs in this process; {@code redis}
 *     pushes them onto a Redis list for {@code examples/worker} (needs {@code REDIS_URL})
 * @param queue {@code DEMO_QUEUE}, the Redis list key for {@code redis} workers
 * @param transport {@code DEMO_WS_TRANSPORT}: {@code jetty} (default) serves the endpoint on Jetty's WebSocket
 *     core ({@code JettyWebSocketHandler}); {@code jakarta} through Jetty's Jakarta WebSocket container, as a
 *     servlet host would (same protocol and rules, about 3x the heap per connection: docs/benchmarks.md)
 */
public record DemoConfig(String host, int port, String redisUrl, String jwtSecret, String wsPath,
    boolean wsEnabled, long stepMillis, WorkerMode worker, String queue, Transport transport) {

  /** Who runs the simulated jobs. */
  public enum WorkerMode { INLINE, REDIS }

  /** Which of the library's two WebSocket transports serves {@code WS_PATH}. */
  public enum Transport { JETTY, JAKARTA }

  /** Checks the combination of settings. */
  public DemoConfig {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("PORT must be 0..65535, was " + port);
    }
    if (!wsPath.startsWith("/") || wsPath.startsWith("/api/")) {
      throw new IllegalArgumentException("WS_PATH must start with / and not with /api/, was \"" + wsPath + "\"");
    }
    if (stepMillis < 0) {
      throw new IllegalArgumentException("DEMO_STEP_MS must be >= 0, was " + stepMillis);
    }
    if (worker == WorkerMode.REDIS && redisUrl == null) {
      throw new IllegalArgumentException("DEMO_WORKER=redis needs REDIS_URL");
    }
  }

  /**
   * Reads the settings from {@code env} (usually {@code System.getenv()}).
   *
   * @throws IllegalArgumentException naming the variable with a bad value
   */
  public static DemoConfig fromEnvironment(Map<String, String> env) {
    return new DemoConfig(
        get(env, "HOST", "0.0.0.0"),
        (int) number(env, "PORT", 3000),
        blankToNull(env.get("REDIS_URL")),
        blankToNull(env.get("JWT_SECRET")),
        get(env, "WS_PATH", "/ws"),
        bool(env, "WS_ENABLED", true),
        number(env, "DEMO_STEP_MS", 700),
        workerMode(get(env, "DEMO_WORKER", "inline")),
        get(env, "DEMO_QUEUE", "jobprogress:demo:jobs"),
        transport(get(env, "DEMO_WS_TRANSPORT", "jetty")));
  }

  private static String get(Map<String, String> env, String key, String fallback) {
    String v = blankToNull(env.get(key));
    return v == null ? fallback : v.trim();
  }

  private static String blankToNull(String v) {
    return v == null || v.isBlank() ? null : v;
  }

  private static long number(Map<String, String> env, String key, long fallback) {
    String v = get(env, key, Long.toString(fallback));
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, was \"" + v + "\"");
    }
  }

  private static boolean bool(Map<String, String> env, String key, boolean fallback) {
    String v = get(env, key, Boolean.toString(fallback)).toLowerCase(Locale.ROOT);
    switch (v) {
      case "true": case "1": case "yes": return true;
      case "false": case "0": case "no": return false;
      default: throw new IllegalArgumentException(key + " must be true or false, was \"" + v + "\"");
    }
  }

  private static Transport transport(String v) {
    switch (v.toLowerCase(Locale.ROOT)) {
      case "jetty": return Transport.JETTY;
      case "jakarta": return Transport.JAKARTA;
      default: throw new IllegalArgumentException("DEMO_WS_TRANSPORT must be jetty or jakarta, was \"" + v + "\"");
    }
  }

  private static WorkerMode workerMode(String v) {
    switch (v.toLowerCase(Locale.ROOT)) {
      case "inline": return WorkerMode.INLINE;
      case "redis": return WorkerMode.REDIS;
      default: throw new IllegalArgumentException("DEMO_WORKER must be inline or redis, was \"" + v + "\"");
    }
  }
}
