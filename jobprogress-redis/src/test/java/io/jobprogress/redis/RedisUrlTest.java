package io.jobprogress.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** REDIS_URL parsing and the settings built on it. */
class RedisUrlTest {

  @Test
  void fullUrlGivesUserPasswordDatabaseAndPort() {
    RedisUrl u = RedisUrl.parse("redis://app:s%40cret@cache.internal:6380/3");
    assertEquals(new RedisUrl("cache.internal", 6380, "app", "s@cret", 3, false), u);
  }

  @Test
  void redissMeansTlsAndDefaultsApply() {
    RedisUrl u = RedisUrl.parse("rediss://:pw@example.com");
    assertTrue(u.tls());
    assertEquals(6379, u.port());
    assertEquals(0, u.database());
    assertNull(u.user());
    assertEquals("pw", u.password());
  }

  @Test
  void toStringMasksThePassword() {
    String shown = RedisUrl.parse("redis://app:topsecret@h:1/2").toString();
    assertEquals("redis://app:***@h:1/2", shown);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "http://u:topsecret@host:6379|scheme must be redis:// or rediss://, was \"http\"",
      "redis://u:topsecret@host:6379/db7|path must be a database number",
      "redis://u:topsecret@:6379|URL has no host",
      "redis://u:top secret@host|not a valid URI",
      "redis://u:topsecret@host:99999|port must be 1..65535, was 99999",
      "host:6379|scheme must be redis:// or rediss://",
      "'  '|URL is empty"})
  void badUrlsNameTheProblemAndNeverEchoThePassword(String url, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RedisUrl.parse(url));
    assertTrue(e.getMessage().startsWith("redis: "), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertFalse(e.getMessage().contains("secret"), e.getMessage());
    // the parser keeps working after a bad URL
    assertEquals("h", RedisUrl.parse("redis://h").host());
  }

  @Test
  void environmentNeedsRedisUrlAndValidatesTheRest() {
    assertEquals("redis: REDIS_URL is not set",
        assertThrows(IllegalArgumentException.class, () -> RedisSettings.fromEnvironment(Map.of())).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RedisSettings.fromEnvironment(
        Map.of("REDIS_URL", "redis://h", "REDIS_MODE", "broadcast"))).getMessage().contains("REDIS_MODE"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RedisSettings.fromEnvironment(
        Map.of("REDIS_URL", "redis://h", "REDIS_KEY_PREFIX", "a*"))).getMessage().contains("REDIS_KEY_PREFIX"));
    RedisSettings s = RedisSettings.fromEnvironment(Map.of("REDIS_URL", "redis://h:1", "REDIS_MODE", "pattern",
        "REDIS_KEY_PREFIX", "app:", "REDIS_SNAPSHOT_TTL_SECONDS", "60", "REDIS_HISTORY_MAXLEN", "10"));
    assertEquals(RedisSettings.Mode.PATTERN, s.mode());
    assertEquals("app:", s.keyPrefix());
    assertEquals(60, s.snapshotTtl().toSeconds());
    assertEquals(10, s.historyMaxLen());
    assertEquals(RedisSettings.Mode.INTEREST, RedisSettings.builder("redis://h").build().mode());
  }

  @Test
  void keysShareTheChannelsHashTag() {
    RedisKeys k = new RedisKeys("app:");
    assertEquals("app:job:J1", k.channel("J1"));
    assertEquals("jp:{app:job:J1}:snap", k.snapshot("J1"));
    assertEquals("jp:{app:job:J1}:hist", k.history("J1"));
    assertEquals("J1", k.jobIdOf("app:job:J1"));
    assertNull(k.jobIdOf("job:J1"));
    assertTrue(k.isChannelOf("app:job:J1", "J1"));
    assertFalse(k.isChannelOf("job:J1", "J1"));
    assertFalse(k.isChannelOf("app:job:J12", "J1"));
    assertFalse(k.isChannelOf("app:job:J1", "J12"));
    assertFalse(k.isChannelOf("app:job:J2", "J1"));
  }
}
