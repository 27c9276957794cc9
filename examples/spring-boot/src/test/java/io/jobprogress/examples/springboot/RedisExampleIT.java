package io.jobprogress.examples.springboot;

import io.jobprogress.redis.RedisServerProcess;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The example on Redis (its own redis-server on a free port), selected by {@code jobprogress.redis.url}
 * alone, with the Jedis and gson versions the Boot parent manages.
 */
class RedisExampleIT extends ExampleAppContract {
  @RegisterExtension
  static final RedisServerProcess redis = RedisServerProcess.perClass();

  @Override
  Map<String, Object> backend() {
    return Map.of("jobprogress.redis.url", redis.url());
  }

  @Override
  String broadcasterType() {
    return "redis";
  }
}
