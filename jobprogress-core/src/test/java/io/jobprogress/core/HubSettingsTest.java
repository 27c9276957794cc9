package io.jobprogress.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** {@link HubSettings}: defaults, copies, and validation errors that name the setting; good settings still build after. */
class HubSettingsTest {

  private static String rejected(UnaryOperator<HubSettings.Builder> change) {
    return assertThrows(IllegalArgumentException.class, () -> change.apply(HubSettings.builder()).build())
        .getMessage();
  }

  private static String rejectedEnv(Map<String, String> env) {
    return assertThrows(IllegalArgumentException.class, () -> HubSettings.fromEnvironment(env)).getMessage();
  }

  private static void assertMentions(String message, String... parts) {
    for (String p : parts) {
      assertTrue(message.contains(p), () -> "expected \"" + p + "\" in: " + message);
    }
  }

  @Test
  void defaultsAreGenerousForLegitimateUse() {
    HubSettings d = HubSettings.defaults();
    assertTrue(d.maxConnectionsPerUser() >= 10);
    assertEquals(10_000, d.maxConnections());
    assertTrue(d.messagesPerSecond() >= 20);
    assertEquals(200, d.maxSubscriptionsPerConnection());
    assertEquals(Duration.ofSeconds(60), d.tokenExpiryWarning());
    assertEquals(Duration.ofSeconds(5), d.tokenExpiryGrace());
  }

  @Test
  void defaultUserRateLetsEveryConnectionOfAUserAtTheConnectionLimitSendItsFullRate() {
    // the documented minimum: at least 10 connections per user AND at least 20 messages/s per connection
    HubSettings d = HubSettings.defaults();
    assertTrue(d.userMessagesPerSecond() >= d.maxConnectionsPerUser() * d.messagesPerSecond(),
        () -> "userMessagesPerSecond " + d.userMessagesPerSecond() + " < " + d.maxConnectionsPerUser() + " x "
            + d.messagesPerSecond());
  }

  @Test
  void toBuilderCopiesEverySetting() {
    HubSettings s = HubSettings.builder().maxConnections(2).maxConnectionsPerUser(3).maxSubscriptionsPerConnection(4)
        .messagesPerSecond(5).messageBurst(6).userMessagesPerSecond(7).floodCloseAfter(8)
        .tokenExpiryWarning(Duration.ofMillis(12)).tokenExpiryGrace(Duration.ZERO).build();
    HubSettings copy = s.toBuilder().build();
    assertEquals(2, copy.maxConnections());
    assertEquals(3, copy.maxConnectionsPerUser());
    assertEquals(4, copy.maxSubscriptionsPerConnection());
    assertEquals(5, copy.messagesPerSecond());
    assertEquals(6, copy.messageBurst());
    assertEquals(7, copy.userMessagesPerSecond());
    assertEquals(8, copy.floodCloseAfter());
    assertEquals(Duration.ofMillis(12), copy.tokenExpiryWarning());
    assertEquals(Duration.ZERO, copy.tokenExpiryGrace());
  }

  @Test
  void builderErrorsNameTheSettingAndTheValue() {
    assertEquals("maxConnectionsPerUser must be positive, was 0", rejected(b -> b.maxConnectionsPerUser(0)));
    assertEquals("maxConnections must be positive, was -5", rejected(b -> b.maxConnections(-5)));
    assertMentions(rejected(b -> b.maxSubscriptionsPerConnection(-1)), "maxSubscriptionsPerConnection", "-1");
    assertMentions(rejected(b -> b.messagesPerSecond(Double.NaN)), "messagesPerSecond", "NaN");
    assertMentions(rejected(b -> b.messageBurst(0)), "messageBurst", "0");
    assertMentions(rejected(b -> b.userMessagesPerSecond(-2)), "userMessagesPerSecond", "-2");
    assertMentions(rejected(b -> b.floodCloseAfter(0)), "floodCloseAfter");
    assertMentions(rejected(b -> b.tokenExpiryWarning(Duration.ofMillis(-1))), "tokenExpiryWarning");
    assertMentions(rejected(b -> b.tokenExpiryGrace(Duration.ofMillis(-1))), "tokenExpiryGrace");
    assertMentions(assertThrows(NullPointerException.class,
        () -> HubSettings.builder().tokenExpiryGrace(null).build()).getMessage(), "tokenExpiryGrace");
    // the builder is not poisoned: good values still build a working hub
    HubSettings good = HubSettings.builder().maxConnectionsPerUser(1).build();
    try (JobProgressHub hub = JobProgressHub.builder().tokenVerifier(TestTokens.verifier()).settings(good).build()) {
      assertEquals(1, hub.settings().maxConnectionsPerUser());
    }
  }

  @Test
  void fromEnvironmentReadsEveryVariableAndKeepsDefaultsForUnsetOrBlankOnes() {
    HubSettings s = HubSettings.fromEnvironment(Map.ofEntries(
        Map.entry("JP_MAX_CONNECTIONS", "11"), Map.entry("JP_MAX_CONNECTIONS_PER_USER", "12"), Map.entry("JP_MAX_SUBSCRIPTIONS_PER_CONNECTION", " 13 "),
        Map.entry("JP_MESSAGES_PER_SECOND", "2.5"), Map.entry("JP_MESSAGE_BURST", "14"),
        Map.entry("JP_USER_MESSAGES_PER_SECOND", "15"), Map.entry("JP_FLOOD_CLOSE_AFTER", "16"),
        Map.entry("JP_TOKEN_EXPIRY_WARNING_MS", "20"), Map.entry("JP_TOKEN_EXPIRY_GRACE_MS", "")));
    assertEquals(11, s.maxConnections());
    assertEquals(12, s.maxConnectionsPerUser());
    assertEquals(13, s.maxSubscriptionsPerConnection());
    assertEquals(2.5, s.messagesPerSecond());
    assertEquals(14, s.messageBurst());
    assertEquals(15, s.userMessagesPerSecond());
    assertEquals(16, s.floodCloseAfter());
    assertEquals(Duration.ofMillis(20), s.tokenExpiryWarning());
    assertEquals(HubSettings.defaults().tokenExpiryGrace(), s.tokenExpiryGrace());
    assertEquals(HubSettings.defaults().maxConnectionsPerUser(), HubSettings.fromEnvironment(Map.of()).maxConnectionsPerUser());
  }

  @Test
  void fromEnvironmentErrorForAValueThatIsNotANumberNamesTheVariableAndValue() {
    assertEquals("JP_MAX_CONNECTIONS_PER_USER must be a whole number >= 1, was \"ten\"",
        rejectedEnv(Map.of("JP_MAX_CONNECTIONS_PER_USER", "ten")));
    assertMentions(rejectedEnv(Map.of("JP_TOKEN_EXPIRY_GRACE_MS", "5m")), "JP_TOKEN_EXPIRY_GRACE_MS", "5m");
    assertMentions(rejectedEnv(Map.of("JP_MESSAGES_PER_SECOND", "fast")), "JP_MESSAGES_PER_SECOND", "fast");
  }

  @Test
  void fromEnvironmentErrorForAValueOutOfRangeNamesTheVariableAndTheRange() {
    assertEquals("JP_MAX_CONNECTIONS_PER_USER must be >= 1, was \"0\"",
        rejectedEnv(Map.of("JP_MAX_CONNECTIONS_PER_USER", "0")));
    assertMentions(rejectedEnv(Map.of("JP_MAX_CONNECTIONS", "0")), "JP_MAX_CONNECTIONS", ">= 1", "0");
    assertMentions(rejectedEnv(Map.of("JP_MESSAGES_PER_SECOND", "0")), "JP_MESSAGES_PER_SECOND", "> 0", "0");
    assertMentions(rejectedEnv(Map.of("JP_TOKEN_EXPIRY_GRACE_MS", "-1")),
        "JP_TOKEN_EXPIRY_GRACE_MS", ">= 0", "-1");
    // good settings still build afterwards
    assertEquals(3, HubSettings.fromEnvironment(Map.of("JP_MAX_CONNECTIONS_PER_USER", "3")).maxConnectionsPerUser());
  }

  @Test
  void resumeSyncAndBatchSettingsHaveDefaultsEnvironmentVariablesAndBounds() {
    HubSettings d = HubSettings.defaults();
    assertEquals(java.time.Duration.ofHours(24), d.syncWindow());
    assertEquals(200, d.syncMaxJobs());
    assertEquals(java.time.Duration.ofMillis(100), d.batchWindow());
    assertEquals(java.time.Duration.ofSeconds(1), d.maxBatchWindow());
    HubSettings s = HubSettings.fromEnvironment(Map.of("JP_SYNC_WINDOW_MS", "3600000", "JP_SYNC_MAX_JOBS", "50",
        "JP_BATCH_WINDOW_MS", "250", "JP_MAX_BATCH_WINDOW_MS", "2000"));
    assertEquals(java.time.Duration.ofHours(1), s.syncWindow());
    assertEquals(50, s.syncMaxJobs());
    assertEquals(java.time.Duration.ofMillis(250), s.batchWindow());
    assertEquals(java.time.Duration.ofSeconds(2), s.maxBatchWindow());
    String msg = assertThrows(IllegalArgumentException.class,
        () -> HubSettings.fromEnvironment(Map.of("JP_SYNC_MAX_JOBS", "0"))).getMessage();
    assertTrue(msg.contains("JP_SYNC_MAX_JOBS") && msg.contains("0"), msg);
    msg = assertThrows(IllegalArgumentException.class,
        () -> HubSettings.fromEnvironment(Map.of("JP_BATCH_WINDOW_MS", "5000"))).getMessage();
    assertEquals("JP_BATCH_WINDOW_MS must be in 10..1000 ms, was \"5000\"", msg);
    msg = assertThrows(IllegalArgumentException.class,
        () -> HubSettings.fromEnvironment(Map.of("JP_MAX_BATCH_WINDOW_MS", "50"))).getMessage();
    assertTrue(msg.contains("JP_BATCH_WINDOW_MS") && msg.contains("JP_MAX_BATCH_WINDOW_MS"), msg);
    assertEquals(Duration.ofMillis(50), HubSettings.fromEnvironment(
        Map.of("JP_MAX_BATCH_WINDOW_MS", "50", "JP_BATCH_WINDOW_MS", "20")).maxBatchWindow());
  }
}
