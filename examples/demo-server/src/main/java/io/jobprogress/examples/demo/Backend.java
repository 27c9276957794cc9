package io.jobprogress.examples.demo;

import io.jobprogress.core.Broadcaster;
import io.jobprogress.core.InMemoryBroadcaster;
import io.jobprogress.redis.RedisBroadcaster;
import io.jobprogress.redis.RedisSettings;
import java.net.URI;
import java.util.Map;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * What the demo keeps its shared state in: the hub's {@link Broadcaster} (progress and snapshots) and the
 * {@link UserStore}. {@link #inMemory()} for one instance; {@link #redis(String)} when several instances
 * share {@code REDIS_URL}. Created once at start; {@link #close()} releases the Redis client (the hub
 * closes the broadcaster). Thread-safe.
 */
final class Backend implements AutoCloseable {
  static final String USERS_KEY = "jobprogress:demo:users";

  private final Broadcaster broadcaster;
  private final UserStore users;
  private final UnifiedJedis redis;

  private Backend(Broadcaster broadcaster, UserStore users, UnifiedJedis redis) {
    this.broadcaster = broadcaster;
    this.users = users;
    this.redis = redis;
  }

  /**
   * The backend for {@code config}: Redis when {@code REDIS_URL} is set (with the redis module's other
   * variables from {@code env}, such as {@code REDIS_KEY_PREFIX}), memory otherwise.
   */
  static Backend create(DemoConfig config, Map<String, String> env) {
    return config.redisUrl() == null ? inMemory() : redis(config.redisUrl(), env);
  }

  /** Everything in this process. */
  static Backend inMemory() {
    return new Backend(new InMemoryBroadcaster(), new InMemoryUserStore(), null);
  }

  /** Progress, snapshots and users in the Redis at {@code url}. */
  static Backend redis(String url, Map<String, String> env) {
    RedisSettings settings = RedisSettings.fromEnvironment(env);
    RedisClient client = RedisClient.create(URI.create(url));
    try {
      return new Backend(new RedisBroadcaster(settings), new RedisUserStore(client, USERS_KEY), client);
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  Broadcaster broadcaster() {
    return broadcaster;
  }

  UserStore users() {
    return users;
  }

  /** The Redis client, or null in memory mode. */
  UnifiedJedis redisClient() {
    return redis;
  }

  @Override
  public void close() {
    if (redis != null) {
      redis.close();
    }
  }
}
