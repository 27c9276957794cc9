package io.jobprogress.redis;

import io.jobprogress.core.Broadcaster;
import io.jobprogress.core.BroadcasterFactory;
import io.jobprogress.core.ConfigSource;
import java.util.Map;

/**
 * Offers {@link RedisBroadcaster} to deployments that configure by {@code REDIS_URL} or {@code REDIS_CLUSTER_NODES} (a WAR with only
 * environment variables or servlet-context init parameters). Found through
 * {@code META-INF/services/io.jobprogress.core.BroadcasterFactory}. Stateless and thread-safe.
 */
public final class RedisBroadcasterFactory implements BroadcasterFactory {

  /** Public for {@link java.util.ServiceLoader}. */
  public RedisBroadcasterFactory() {}

  @Override
  public boolean supports(Map<String, String> config) {
    ConfigSource c = ConfigSource.of(config);
    return c.isSet("REDIS_URL") || c.isSet("REDIS_CLUSTER_NODES");
  }

  @Override
  public Broadcaster create(Map<String, String> config) {
    return new RedisBroadcaster(RedisSettings.fromEnvironment(config));
  }
}
