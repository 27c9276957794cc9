package io.jobprogress.redis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobprogress.core.Broadcaster;
import io.jobprogress.core.BroadcasterFactory;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class RedisBroadcasterFactoryTest {

  private static BroadcasterFactory loaded() {
    return ServiceLoader.load(BroadcasterFactory.class).stream()
        .map(ServiceLoader.Provider::get)
        .filter(f -> f instanceof RedisBroadcasterFactory)
        .findFirst().orElseThrow(() -> new AssertionError("RedisBroadcasterFactory not registered"));
  }

  @Test
  void serviceLoaderFindsTheRedisFactoryAndItAppliesOnlyWhenRedisUrlIsSet() {
    BroadcasterFactory f = loaded();
    assertTrue(f.supports(Map.of("REDIS_URL", "redis://127.0.0.1:6379")));
    assertFalse(f.supports(Map.of()));
    assertFalse(f.supports(Map.of("REDIS_URL", " ")));
  }

  @Test
  void badUrlIsRefusedWithAClearErrorAndAGoodOneStillBuilds() {
    BroadcasterFactory f = loaded();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> f.create(Map.of("REDIS_URL", "http://user:hunter2@host")));
    assertTrue(e.getMessage().startsWith("redis: "), e.getMessage());
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    try (Broadcaster b = f.create(Map.of("REDIS_URL", "redis://127.0.0.1:6379"))) {
      assertInstanceOf(RedisBroadcaster.class, b);
    }
  }
}
