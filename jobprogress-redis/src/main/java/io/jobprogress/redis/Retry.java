package io.jobprogress.redis;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The one place that decides what is worth retrying against Redis and how long to wait between tries.
 *
 * <ul>
 *   <li>{@link #onBrokenConnection}: run once more on a fresh connection when the pooled one was dead
 *       (after a Redis restart every pooled connection is). Used by every read and by each publish try.
 *   <li>{@link #isTransient}: errors that go away by themselves (connection refused or lost, timeout,
 *       a server still loading or failing over); the publisher keeps trying these within its window.
 *   <li>{@link #backoffMillis}: exponential backoff with jitter.
 * </ul>
 * Stateless and thread-safe.
 */
final class Retry {
  private Retry() {}

  /**
   * Runs {@code op}; on a broken connection drops the pool's idle connections and runs it once more.
   * Only for operations that are safe to run twice (reads, and the publish script, which is idempotent
   * per call mark).
   *
   * @throws JedisException what the second try (or a non-connection failure of the first) threw
   */
  static <T> T onBrokenConnection(UnifiedJedis client, Supplier<T> op) {
    try {
      return op.get();
    } catch (JedisConnectionException first) {
      dropIdleConnections(client);
      return op.get();
    }
  }

  /** After a lost connection the idle pooled ones are dead too (Redis restarted): drop them. */
  static void dropIdleConnections(UnifiedJedis client) {
    try {
      RedisClients.dropIdleConnections(client);
    } catch (RuntimeException ignored) {
      // best effort; a dead connection fails once more and is dropped then
    }
  }

  /** Whether {@code e} is worth another try later: Redis unreachable, slow, loading or failing over. */
  static boolean isTransient(JedisException e) {
    if (e instanceof JedisConnectionException) {
      return true;
    }
    if (e instanceof JedisDataException) {
      String m = String.valueOf(e.getMessage());
      return m.startsWith("LOADING") || m.startsWith("BUSY") || m.startsWith("READONLY")
          || m.startsWith("TRYAGAIN") || m.startsWith("CLUSTERDOWN") || m.startsWith("MASTERDOWN");
    }
    if (e instanceof JedisClusterOperationException) {
      // the cluster client ran out of attempts or time (a master down, failover not finished); but a
      // command whose keys span slots never succeeds
      return !String.valueOf(e.getMessage()).startsWith("No way to dispatch");
    }
    // e.g. "Could not get a resource from the pool" wrapping a connection failure
    return e.getCause() instanceof JedisConnectionException;
  }

  /** The pause before try {@code attempt + 1}: {@code min * 2^attempt}, capped at {@code max}, 50-100 %. */
  static long backoffMillis(int attempt, long minMillis, long maxMillis) {
    long delay = Math.min(maxMillis, minMillis << Math.min(attempt, 20));
    return Math.max(1, (long) (delay * (0.5 + ThreadLocalRandom.current().nextDouble() * 0.5)));
  }
}
