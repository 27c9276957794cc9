package io.jobprogress.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The publisher's outage settings: defaults, environment, and bad values named in the error. */
class RedisSettingsTest {

  @Test
  void theRetryWindowIsThirtySecondsAndTheBufferTenThousandByDefault() {
    RedisSettings s = RedisSettings.builder("redis://127.0.0.1:6379").build();
    assertEquals(Duration.ofSeconds(30), s.publishRetryWindow());
    assertEquals(10_000, s.publishBufferMax());
  }

  @Test
  void theEnvironmentSetsTheRetryWindowAndTheBuffer() {
    RedisSettings s = RedisSettings.fromEnvironment(Map.of("REDIS_URL", "redis://127.0.0.1:6379",
        "REDIS_PUBLISH_RETRY_WINDOW_MS", "2500", "REDIS_PUBLISH_BUFFER_MAX", "50"));
    assertEquals(Duration.ofMillis(2500), s.publishRetryWindow());
    assertEquals(50, s.publishBufferMax());
  }

  @Test
  void badValuesAreRefusedNamingTheVariableAndTheValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RedisSettings.fromEnvironment(
        Map.of("REDIS_URL", "redis://127.0.0.1:6379", "REDIS_PUBLISH_RETRY_WINDOW_MS", "soon")));
    assertEquals("redis: REDIS_PUBLISH_RETRY_WINDOW_MS must be a whole number, was \"soon\"", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> RedisSettings.fromEnvironment(
        Map.of("REDIS_URL", "redis://127.0.0.1:6379", "REDIS_PUBLISH_RETRY_WINDOW_MS", "-1")));
    assertEquals("redis: publishRetryWindow must be >= 0, was PT-0.001S", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> RedisSettings.fromEnvironment(
        Map.of("REDIS_URL", "redis://127.0.0.1:6379", "REDIS_PUBLISH_BUFFER_MAX", "0")));
    assertEquals("redis: publishBufferMax must be >= 1, was 0", e.getMessage());
    // and a good configuration still builds afterwards
    assertEquals(1, RedisSettings.builder("redis://127.0.0.1:6379").publishBufferMax(1).build().publishBufferMax());
  }
}
