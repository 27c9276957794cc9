package io.jobprogress.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobprogress.core.ConfigException;
import io.jobprogress.core.ConfigSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class EnvironmentConfigTest {

  private static ConfigSource config(Map<String, Object> properties) {
    StandardEnvironment env = new StandardEnvironment();
    env.getPropertySources().addFirst(new MapPropertySource("test", properties));
    return EnvironmentConfig.of(env);
  }

  @Test
  void variableNamesMapToJobprogressProperties() {
    assertEquals("jobprogress.ws.path", EnvironmentConfig.propertyName("WS_PATH"));
    assertEquals("jobprogress.ws.allowed-origins", EnvironmentConfig.propertyName("WS_ALLOWED_ORIGINS"));
    assertEquals("jobprogress.jwt.secret", EnvironmentConfig.propertyName("JWT_SECRET"));
    assertEquals("jobprogress.redis.url", EnvironmentConfig.propertyName("REDIS_URL"));
    assertEquals("jobprogress.max-frame-bytes", EnvironmentConfig.propertyName("JP_MAX_FRAME_BYTES"));
    assertEquals("jobprogress.stats-token", EnvironmentConfig.propertyName("JP_STATS_TOKEN"));
  }

  @Test
  void aJobprogressPropertyIsReadUnderTheVariableName() {
    ConfigSource c = config(Map.of("jobprogress.ws.path", "/progress", "jobprogress.max-frame-bytes", "1024"));
    assertEquals("/progress", c.string("WS_PATH"));
    assertEquals(1024, c.integer("JP_MAX_FRAME_BYTES", 65536, 256, Integer.MAX_VALUE));
  }

  @Test
  void relaxedNamesBindToo() {
    ConfigSource c = config(Map.of("jobprogress.ws.allowedOrigins", "https://a.example, https://b.example"));
    assertEquals(List.of("https://a.example", "https://b.example"), c.list("WS_ALLOWED_ORIGINS"));
  }

  @Test
  void anIndexedListReadsAsItsCommaSeparatedForm() {
    ConfigSource c = config(Map.of("jobprogress.ws.allowed-origins[0]", "https://a.example",
        "jobprogress.ws.allowed-origins[1]", "https://b.example"));
    assertEquals(List.of("https://a.example", "https://b.example"), c.list("WS_ALLOWED_ORIGINS"));
  }

  @Test
  void thePlainVariableNameIsTheFallbackAndTheJobprogressPropertyWins() {
    assertEquals("/plain", config(Map.of("WS_PATH", "/plain")).string("WS_PATH"));
    assertEquals("/mine", config(Map.of("WS_PATH", "/plain", "jobprogress.ws.path", "/mine")).string("WS_PATH"));
  }

  @Test
  void unsetIsNullAndABadValueIsRefusedNamingTheVariable() {
    ConfigSource c = config(Map.of("jobprogress.max-frame-bytes", "100"));
    assertNull(c.string("WS_PATH"));
    ConfigException e = assertThrows(ConfigException.class,
        () -> c.integer("JP_MAX_FRAME_BYTES", 65536, 256, Integer.MAX_VALUE));
    assertTrue(e.getMessage().contains("JP_MAX_FRAME_BYTES") && e.getMessage().contains("\"100\""), e.getMessage());
  }
}
