package io.jobprogress.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    assertEquals("REDIS_PUBLISH_RETRY_WINDOW_MS must be a whole number ms >= 0, was \"soon\"", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> RedisSettings.fromEnvironment(
        Map.of("REDIS_URL", "redis://127.0.0.1:6379", "REDIS_PUBLISH_RETRY_WINDOW_MS", "-1")));
    assertEquals("REDIS_PUBLISH_RETRY_WINDOW_MS must be >= 0 ms, was \"-1\"", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> RedisSettings.fromEnvironment(
        Map.of("REDIS_URL", "redis://127.0.0.1:6379", "REDIS_PUBLISH_BUFFER_MAX", "0")));
    assertEquals("REDIS_PUBLISH_BUFFER_MAX must be >= 1, was \"0\"", e.getMessage());
    // a bad URL names REDIS_URL and never shows its password
    e = assertThrows(IllegalArgumentException.class, () -> RedisSettings.fromEnvironment(
        Map.of("REDIS_URL", "redis://user:s3cret-pass@host:99999")));
    assertTrue(e.getMessage().startsWith("redis: REDIS_URL: "), e.getMessage());
    assertFalse(e.getMessage().contains("s3cret-pass"), e.getMessage());
    // and a good configuration still builds afterwards
    assertEquals(1, RedisSettings.builder("redis://127.0.0.1:6379").publishBufferMax(1).build().publishBufferMax());
  }

  @Test
  void clusterNodesSwitchOnClusterModeWithTheUrlAsFirstSeed() {
    RedisSettings s = RedisSettings.fromEnvironment(Map.of("REDIS_URL", "redis://u:pw@10.0.0.1:7000",
        "REDIS_CLUSTER_NODES", "10.0.0.2:7000, 10.0.0.3:7001,10.0.0.1:7000"));
    assertTrue(s.cluster());
    assertEquals(java.util.List.of("10.0.0.1:7000", "10.0.0.2:7000", "10.0.0.3:7001"), s.clusterNodes());
    assertEquals("u", s.url().user());
    // without REDIS_URL the first node is the URL; without either it is not a cluster
    assertEquals("10.0.0.2", RedisSettings.fromEnvironment(Map.of("REDIS_CLUSTER_NODES", "10.0.0.2:7000")).url().host());
    assertFalse(RedisSettings.fromEnvironment(Map.of("REDIS_URL", "redis://127.0.0.1:6379")).cluster());
    assertTrue(new RedisBroadcasterFactory().supports(Map.of("REDIS_CLUSTER_NODES", "10.0.0.2:7000")));
  }

  @Test
  void badClusterConfigurationIsRefusedNamingTheVariableAndTheValue() {
    io.jobprogress.core.ConfigException e = assertThrows(io.jobprogress.core.ConfigException.class,
        () -> RedisSettings.fromEnvironment(Map.of("REDIS_CLUSTER_NODES", "10.0.0.2:7000,node-b")));
    assertEquals("redis: REDIS_CLUSTER_NODES: expected host:port, was \"node-b\"", e.getMessage());
    e = assertThrows(io.jobprogress.core.ConfigException.class,
        () -> RedisSettings.fromEnvironment(Map.of("REDIS_CLUSTER_NODES", "10.0.0.2:70000")));
    assertTrue(e.getMessage().contains("port must be 1..65535, was 70000"), e.getMessage());
    e = assertThrows(io.jobprogress.core.ConfigException.class, () -> RedisSettings.fromEnvironment(
        Map.of("REDIS_CLUSTER_NODES", "10.0.0.2:7000", "REDIS_URL", "redis://:s3cret@10.0.0.1:7000/3")));
    assertTrue(e.getMessage().contains("only database 0") && !e.getMessage().contains("s3cret"), e.getMessage());
    e = assertThrows(io.jobprogress.core.ConfigException.class, () -> RedisSettings.fromEnvironment(
        Map.of("REDIS_CLUSTER_NODES", "10.0.0.2:7000", "REDIS_MODE", "pattern")));
    assertTrue(e.getMessage().contains("mode pattern is not available on a Redis Cluster"), e.getMessage());
    IllegalArgumentException b = assertThrows(IllegalArgumentException.class,
        () -> RedisSettings.builder("redis://10.0.0.1:7000").clusterNodes("10.0.0.2"));
    assertEquals("redis: cluster node expected host:port, was \"10.0.0.2\"", b.getMessage());
    // and a good cluster configuration still builds afterwards
    assertTrue(RedisSettings.builder("redis://10.0.0.1:7000").clusterNodes("10.0.0.2:7000").build().cluster());
  }
}
