package io.jobprogress.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.jobprogress.core.ConfigSource;
import io.jobprogress.core.HubSettings;
import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.jwt.JwtTokenVerifier;
import io.jobprogress.core.TestTokens;
import io.jobprogress.jakarta.ws.HandshakeRateFilter;
import io.jobprogress.jakarta.ws.JobProgressWebSocket;
import io.jobprogress.redis.RedisSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Keeps the IDE metadata in step with the library: every variable the starter's readers read must be a
 * property in {@code META-INF/spring-configuration-metadata.json} under its {@code jobprogress.*} name, with
 * the default the reader applies.
 */
class ConfigurationMetadataTest {

  /** Variable to the default the code applies, as the readers report them. */
  private static Map<String, String> readByTheStarter() {
    Map<String, String> reads = new LinkedHashMap<>();
    ConfigSource config = ConfigSource.of(Map.of("JWT_SECRET", TestTokens.SECRET, "REDIS_URL", "redis://127.0.0.1:1"))
        .observed((name, def, secret) -> reads.putIfAbsent(name, def));
    JwtTokenVerifier.from(config);
    HubSettings.from(config);
    RedisSettings.from(config);
    try (JobProgressHub hub = JobProgressHub.builder().tokenVerifier(TestTokens.verifier()).build()) {
      JobProgressWebSocket.builder(hub).from(config).build().close();
    }
    HandshakeRateFilter.from(config);
    config.secret("JP_STATS_TOKEN"); // read by the auto-configuration's StatsGuard bean
    return reads;
  }

  private static Map<String, JsonObject> metadata() throws IOException {
    Map<String, JsonObject> props = new TreeMap<>();
    try (InputStream in = Objects.requireNonNull(ConfigurationMetadataTest.class.getResourceAsStream(
        "/META-INF/spring-configuration-metadata.json"), "no generated metadata")) {
      JsonObject root = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
      for (JsonElement e : root.getAsJsonArray("properties")) {
        props.put(e.getAsJsonObject().get("name").getAsString(), e.getAsJsonObject());
      }
    }
    return props;
  }

  @Test
  void everySettingTheLibraryReadsIsAPropertyWithItsDefault() throws IOException {
    Map<String, JsonObject> meta = metadata();
    Map<String, String> missingOrWrong = new TreeMap<>();
    readByTheStarter().forEach((variable, def) -> {
      JsonObject p = meta.get(EnvironmentConfig.propertyName(variable));
      if (p == null) {
        missingOrWrong.put(variable, "missing");
        return;
      }
      String documented = p.has("defaultValue") ? p.get("defaultValue").getAsString() : null;
      boolean noDefault = def == null || def.isEmpty();
      if (noDefault ? documented != null : !sameNumberOrText(def, documented)) {
        missingOrWrong.put(variable, "default " + documented + ", code " + def);
      }
    });
    assertEquals(Map.of(), missingOrWrong);
  }

  @Test
  void theStartersOwnPropertiesAreThere() throws IOException {
    Map<String, JsonObject> meta = metadata();
    for (String name : new String[] {"jobprogress.polling.path", "jobprogress.polling.enabled",
        "jobprogress.stats.path", "jobprogress.stats.enabled"}) {
      assertEquals(name, meta.get(name).get("name").getAsString());
    }
  }

  private static boolean sameNumberOrText(String code, String documented) {
    if (documented == null) {
      return false;
    }
    try {
      return Double.parseDouble(code) == Double.parseDouble(documented);
    } catch (NumberFormatException e) {
      return code.equals(documented);
    }
  }
}
