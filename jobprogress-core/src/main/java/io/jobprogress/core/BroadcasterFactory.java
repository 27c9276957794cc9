package io.jobprogress.core;

import java.util.Map;

/**
 * Builds a {@link Broadcaster} from flat configuration (environment variables or servlet-context init
 * parameters), found with {@link java.util.ServiceLoader}. It lets a deployment pick the Redis broadcaster
 * by setting {@code REDIS_URL} without the transport module depending on the Redis module: a module that
 * offers a broadcaster lists its factory in {@code META-INF/services/io.jobprogress.core.BroadcasterFactory}.
 *
 * <p>Implementations are stateless and thread-safe; {@link #create} may block while connecting.
 */
public interface BroadcasterFactory {

  /** Whether this factory applies to {@code config}, e.g. {@code REDIS_URL} is set. Never blocks. */
  boolean supports(Map<String, String> config);

  /**
   * Builds a broadcaster (not started: the hub starts it).
   *
   * @throws IllegalArgumentException naming the setting when the configuration is invalid
   */
  Broadcaster create(Map<String, String> config);
}
