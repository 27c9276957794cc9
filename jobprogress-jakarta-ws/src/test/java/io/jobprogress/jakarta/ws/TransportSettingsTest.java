package io.jobprogress.jakarta.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobprogress.core.ConfigException;
import io.jobprogress.core.HubSettings;
import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.TestTokens;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TransportSettings} and {@link JobProgressWebSocket.Builder#fromConfig}: the transport reads its
 * own variables (same names and defaults as before they left {@code HubSettings}), bad values name their
 * variable and range, blank is unset, and a good configuration works afterwards.
 */
class TransportSettingsTest {
  private JobProgressHub hub;

  @BeforeEach
  void hub() {
    hub = JobProgressHub.builder().tokenVerifier(TestTokens.verifier()).settings(HubSettings.defaults()).build();
  }

  @AfterEach
  void close() {
    hub.close();
  }

  private JobProgressWebSocket.Builder builder() {
    return JobProgressWebSocket.builder(hub);
  }

  private ConfigException refused(Map<String, String> config) {
    return assertThrows(ConfigException.class, () -> builder().fromConfig(config));
  }

  @Test
  void defaultsAreTheOnesTheHubSettingsHadBefore() {
    TransportSettings d = TransportSettings.defaults();
    assertEquals(64 * 1024, d.maxFrameBytes());
    assertEquals(256, d.sendQueueCapacity());
    assertEquals(Duration.ofSeconds(10), d.slowConsumerTimeout());
    assertEquals(Duration.ofMinutes(5), d.idleTimeout());
    try (JobProgressWebSocket ws = builder().fromConfig(Map.of()).build()) {
      assertEquals(d.toString(), ws.transport().toString());
      assertEquals("/ws", ws.path());
      assertTrue(ws.enabled());
      assertTrue(ws.originAllowed("https://anywhere.example"));
    }
  }

  @Test
  void fromConfigReadsEveryTransportAndEndpointVariableAndBlankIsUnset() {
    Map<String, String> config = Map.of("JP_MAX_FRAME_BYTES", "4096", "JP_SEND_QUEUE_CAPACITY", " 17 ",
        "JP_SLOW_CONSUMER_TIMEOUT_MS", "18", "JP_IDLE_TIMEOUT_MS", "  ", "WS_PATH", "/live",
        "WS_ENABLED", "FALSE", "WS_ALLOWED_ORIGINS", "https://a.example, ,https://b.example");
    try (JobProgressWebSocket ws = builder().fromConfig(config).build()) {
      assertEquals(4096, ws.transport().maxFrameBytes());
      assertEquals(17, ws.transport().sendQueueCapacity());
      assertEquals(Duration.ofMillis(18), ws.transport().slowConsumerTimeout());
      assertEquals(TransportSettings.defaults().idleTimeout(), ws.transport().idleTimeout());
      assertEquals("/live", ws.path());
      assertFalse(ws.enabled());
      assertTrue(ws.originAllowed("https://b.example"));
      assertFalse(ws.originAllowed("https://c.example"));
    }
  }

  @Test
  void unsetVariablesKeepWhatTheBuilderWasGiven() {
    TransportSettings small = TransportSettings.builder().sendQueueCapacity(3).build();
    try (JobProgressWebSocket ws = builder().path("/mine").transport(small)
        .fromConfig(Map.of("JP_IDLE_TIMEOUT_MS", "1000")).build()) {
      assertEquals("/mine", ws.path());
      assertEquals(3, ws.transport().sendQueueCapacity());
      assertEquals(Duration.ofSeconds(1), ws.transport().idleTimeout());
    }
  }

  @Test
  void eachBadValueNamesItsVariableAndRangeAndAGoodConfigurationWorksAfterwards() {
    assertEquals("JP_MAX_FRAME_BYTES must be >= 256, was \"100\"",
        refused(Map.of("JP_MAX_FRAME_BYTES", "100")).getMessage());
    assertEquals("JP_SEND_QUEUE_CAPACITY must be a whole number >= 1, was \"lots\"",
        refused(Map.of("JP_SEND_QUEUE_CAPACITY", "lots")).getMessage());
    assertEquals("JP_SLOW_CONSUMER_TIMEOUT_MS must be >= 1 ms, was \"0\"",
        refused(Map.of("JP_SLOW_CONSUMER_TIMEOUT_MS", "0")).getMessage());
    assertEquals("JP_IDLE_TIMEOUT_MS must be a whole number ms >= 1, was \"5m\"",
        refused(Map.of("JP_IDLE_TIMEOUT_MS", "5m")).getMessage());
    assertEquals("WS_ENABLED must be true or false, was \"off\"", refused(Map.of("WS_ENABLED", "off")).getMessage());
    assertEquals("WS_PATH must start with '/', was \"ws\"", refused(Map.of("WS_PATH", "ws")).getMessage());
    assertEquals("JP_MAX_FRAME_BYTES", refused(Map.of("JP_MAX_FRAME_BYTES", "-5")).variable());
    // the builder refuses out-of-range values too, naming the setting
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TransportSettings.builder().maxFrameBytes(255).build());
    assertEquals("transport: maxFrameBytes must be >= 256, was 255", e.getMessage());
    // the hub's settings no longer carry the transport's variables: they are left to the transport
    assertEquals(HubSettings.defaults().maxConnections(),
        HubSettings.fromEnvironment(Map.of("JP_MAX_FRAME_BYTES", "100")).maxConnections());
    try (JobProgressWebSocket ws = builder().fromConfig(Map.of("JP_MAX_FRAME_BYTES", "256",
        "WS_ALLOWED_ORIGINS", "https://a.example")).build()) {
      assertEquals(256, ws.transport().maxFrameBytes());
      assertEquals("/ws", ws.endpointConfig().getPath());
    }
  }
}
