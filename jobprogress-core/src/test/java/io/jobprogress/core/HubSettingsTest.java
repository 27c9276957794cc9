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
    assertEquals(64 * 1024, d.maxFrameBytes());
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
        .messagesPerSecond(5).messageBurst(6).userMessagesPerSecond(7).floodCloseAfter(8).maxFrameBytes(1000)
        .sendQueueCapacity(9).slowConsumerTimeout(Duration.ofMillis(10)).idleTimeout(Duration.ofMillis(11))
        .tokenExpiryWarning(Duration.ofMillis(12)).tokenExpiryGrace(Duration.ZERO).build();
    HubSettings copy = s.toBuilder().build();
    assertEquals(2, copy.maxConnections());
    assertEquals(3, copy.maxConnectionsPerUser());
    assertEquals(4, copy.maxSubscriptionsPerConnection());
    assertEquals(5, copy.messagesPerSecond());
    assertEquals(6, copy.messageBurst());
    assertEquals(7, copy.userMessagesPerSecond());
    assertEquals(8, copy.floodCloseAfter());
    assertEquals(1000, copy.maxFrameBytes());
    assertEquals(9, copy.sendQueueCapacity());
    assertEquals(Duration.ofMillis(10), copy.slowConsumerTimeout());
    assertEquals(Duration.ofMillis(11), copy.idleTimeout());
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
    assertMentions(rejected(b -> b.maxFrameBytes(255)), "maxFrameBytes", "256", "255");
    assertMentions(rejected(b -> b.sendQueueCapacity(0)), "sendQueueCapacity");
    assertMentions(rejected(b -> b.slowConsumerTimeout(Duration.ZERO)), "slowConsumerTimeout");
    assertMentions(rejected(b -> b.idleTimeout(Duration.ofSeconds(-1))), "idleTimeout");
    assertMentions(rejected(b -> b.tokenExpiryWarning(Duration.ofMillis(-1))), "tokenExpiryWarning");
    assertMentions(rejected(b -> b.tokenExpiryGrace(Duration.ofMillis(-1))), "tokenExpiryGrace");
    assertMentions(assertThrows(NullPointerException.class,
        () -> HubSettings.builder().idleTimeout(null).build()).getMessage(), "idleTimeout");
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
        Map.entry("JP_MAX_FRAME_BYTES", "4096"), Map.entry("JP_SEND_QUEUE_CAPACITY", "17"),
        Map.entry("JP_SLOW_CONSUMER_TIMEOUT_MS", "18"), Map.entry("JP_IDLE_TIMEOUT_MS", "19"),
        Map.entry("JP_TOKEN_EXPIRY_WARNING_MS", "20"), Map.entry("JP_TOKEN_EXPIRY_GRACE_MS", "")));
    assertEquals(11, s.maxConnections());
    assertEquals(12, s.maxConnectionsPerUser());
    assertEquals(13, s.maxSubscriptionsPerConnection());
    assertEquals(2.5, s.messagesPerSecond());
    assertEquals(14, s.messageBurst());
    assertEquals(15, s.userMessagesPerSecond());
    assertEquals(16, s.floodCloseAfter());
    assertEquals(4096, s.maxFrameBytes());
    assertEquals(17, s.sendQueueCapacity());
    assertEquals(Duration.ofMillis(18), s.slowConsumerTimeout());
    assertEquals(Duration.ofMillis(19), s.idleTimeout());
    assertEquals(Duration.ofMillis(20), s.tokenExpiryWarning());
    assertEquals(HubSettings.defaults().tokenExpiryGrace(), s.tokenExpiryGrace());
    assertEquals(HubSettings.defaults().maxConnectionsPerUser(), HubSettings.fromEnvironment(Map.of()).maxConnectionsPerUser());
  }

  @Test
  void fromEnvironmentErrorForAValueThatIsNotANumberNamesTheVariableAndValue() {
    assertEquals("JP_MAX_CONNECTIONS_PER_USER must be a number, was \"ten\"",
        rejectedEnv(Map.of("JP_MAX_CONNECTIONS_PER_USER", "ten")));
    assertMentions(rejectedEnv(Map.of("JP_IDLE_TIMEOUT_MS", "5m")), "JP_IDLE_TIMEOUT_MS", "5m");
    assertMentions(rejectedEnv(Map.of("JP_MESSAGES_PER_SECOND", "fast")), "JP_MESSAGES_PER_SECOND", "fast");
  }

  @Test
  void fromEnvironmentErrorForAValueOutOfRangeNamesTheVariableAndTheSetting() {
    assertMentions(rejectedEnv(Map.of("JP_MAX_CONNECTIONS_PER_USER", "0")),
        "JP_MAX_CONNECTIONS_PER_USER", "maxConnectionsPerUser", "0");
    assertMentions(rejectedEnv(Map.of("JP_MAX_CONNECTIONS", "0")), "JP_MAX_CONNECTIONS", "maxConnections", "0");
    assertMentions(rejectedEnv(Map.of("JP_MAX_FRAME_BYTES", "100")), "JP_MAX_FRAME_BYTES", "maxFrameBytes", "100");
    assertMentions(rejectedEnv(Map.of("JP_TOKEN_EXPIRY_GRACE_MS", "-1")),
        "JP_TOKEN_EXPIRY_GRACE_MS", "tokenExpiryGrace");
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
    assertTrue(msg.contains("JP_BATCH_WINDOW_MS") && msg.contains("batchWindow"), msg);
  }
}
