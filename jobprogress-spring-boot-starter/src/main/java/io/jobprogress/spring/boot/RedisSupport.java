package io.jobprogress.spring.boot;

import io.jobprogress.core.Broadcaster;
import io.jobprogress.core.ConfigSource;
import io.jobprogress.redis.RedisBroadcaster;
import io.jobprogress.redis.RedisSettings;

/**
 * The only class of the starter that names jobprogress-redis types, loaded only when Redis is configured and
 * on the class path. Stateless.
 */
final class RedisSupport {
  private RedisSupport() {}

  /** A Redis broadcaster from the {@code jobprogress.redis.*} settings. */
  static Broadcaster broadcaster(ConfigSource config) {
    return new RedisBroadcaster(RedisSettings.from(config));
  }
}
