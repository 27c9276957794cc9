package io.jobprogress.core;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tokens on a live connection: a warning before expiry, a close at expiry, a refresh that keeps the
 * connection open, and refused refreshes. Tokens live 2-4 s (JWT {@code exp} has whole seconds).
 */
class JobProgressHubTokenTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private final HubFixture fx = new HubFixture(HubSettings.builder()
      .tokenExpiryWarning(Duration.ofMillis(500)).tokenExpiryGrace(Duration.ZERO).build());

  @AfterEach
  void close() {
    fx.close();
  }

  @Test
  void shortTokenGetsTokenExpiringThenTheConnectionClosesWithTokenExpired() throws Exception {
    RecordingConnection alice = fx.open("alice", TestTokens.token("alice", Duration.ofSeconds(2)));
    JsonObject connected = alice.assertFrame("connected");
    Instant expiresAt = Instant.parse(connected.get("expiresAt").getAsString());
    JsonObject warning = alice.assertFrame("token_expiring");
    assertEquals(expiresAt, Instant.parse(warning.get("expiresAt").getAsString()));
    await().atMost(WAIT).until(() -> alice.closedWith() != null);
    assertEquals(CloseReason.TOKEN_EXPIRED, alice.closedWith());
    assertFalse(fx.session(alice).isOpen());
    assertTrue(fx.hub.registry().isEmpty());
  }

  @Test
  void refreshWithAFreshTokenForTheSameUserKeepsTheConnectionOpen() throws Exception {
    RecordingConnection refreshed = fx.open("alice", TestTokens.token("alice", Duration.ofSeconds(3)));
    refreshed.assertFrame("connected");
    // the witness expires no earlier than refreshed's first token: once it is closed, that token's time is up
    RecordingConnection witness = fx.open("alice", TestTokens.token("alice", Duration.ofSeconds(4)));
    witness.assertFrame("connected");
    fx.send(refreshed, "{\"type\":\"refresh\",\"data\":{\"token\":\"" + TestTokens.token("alice") + "\"}}");
    JsonObject ok = HubFixture.nextSkipping(refreshed, "token_expiring");
    assertEquals("token_refreshed", ok.get("type").getAsString(), () -> "frame " + ok);
    Instant newExpiry = Instant.parse(ok.get("expiresAt").getAsString());
    assertTrue(newExpiry.isAfter(Instant.now().plusSeconds(3000)), "new expiry " + newExpiry);
    assertEquals(newExpiry, fx.session(refreshed).expiresAt());

    assertOutlivedItsFirstToken(fx, refreshed, witness);
    assertEquals(1, fx.hub.stats().connections().totalClients());
  }

  @Test
  void refreshAfterTheWarningCancelsTheCloseThatTheWarningQueued() throws Exception {
    // the warning queues the close when it runs: a refresh after it must cancel that close. A 2 s warning
    // leaves the refresh 2 s between the warning and the close.
    try (HubFixture early = new HubFixture(HubSettings.builder()
        .tokenExpiryWarning(Duration.ofSeconds(2)).tokenExpiryGrace(Duration.ZERO).build())) {
      RecordingConnection refreshed = early.open("alice", TestTokens.token("alice", Duration.ofSeconds(3)));
      refreshed.assertFrame("connected");
      // the witness expires no earlier than refreshed's first token: once it is closed, that close would have run
      RecordingConnection witness = early.open("alice", TestTokens.token("alice", Duration.ofSeconds(4)));
      witness.assertFrame("connected");
      refreshed.assertFrame("token_expiring");
      early.send(refreshed, "{\"type\":\"refresh\",\"data\":{\"token\":\"" + TestTokens.token("alice") + "\"}}");
      assertEquals("token_refreshed", HubFixture.nextSkipping(refreshed, "token_expiring").get("type").getAsString());

      assertOutlivedItsFirstToken(early, refreshed, witness);
    }
  }

  /**
   * Once {@code witness} (whose token expires no earlier than {@code refreshed}'s first one) is closed for
   * its expired token, {@code refreshed} is still open and answering.
   */
  private static void assertOutlivedItsFirstToken(HubFixture f, RecordingConnection refreshed,
      RecordingConnection witness) {
    await().atMost(WAIT).until(() -> witness.closedWith() != null);
    assertEquals(CloseReason.TOKEN_EXPIRED, witness.closedWith());
    assertNull(refreshed.closedWith());
    assertTrue(f.session(refreshed).isOpen());
    f.send(refreshed, "{\"type\":\"ping\"}");
    assertEquals("pong", HubFixture.nextSkipping(refreshed, "token_expiring").get("type").getAsString());
  }

  @Test
  void refreshWithAnotherUsersTokenIsRefusedAndTheConnectionKeepsWorking() throws Exception {
    RecordingConnection alice = fx.connect("alice");
    Instant before = fx.session(alice).expiresAt();
    fx.send(alice, "{\"type\":\"refresh\",\"data\":{\"token\":\"" + TestTokens.token("bob") + "\"}}");
    alice.assertError(ErrorCode.REFRESH_REFUSED);
    assertEquals(before, fx.session(alice).expiresAt());
    fx.assertAnswersPing(alice);
    assertNull(alice.closedWith());
  }

  @Test
  void refreshWithAnInvalidOrExpiredTokenIsRefusedAndTheConnectionKeepsWorking() throws Exception {
    RecordingConnection alice = fx.connect("alice");
    fx.send(alice, "{\"type\":\"refresh\",\"data\":{\"token\":\"not-a-jwt\"}}");
    alice.assertError(ErrorCode.REFRESH_REFUSED);
    fx.send(alice, "{\"type\":\"refresh\",\"data\":{\"token\":\""
        + TestTokens.token("alice", Duration.ofMinutes(-10)) + "\"}}");
    alice.assertError(ErrorCode.REFRESH_REFUSED);
    fx.assertAnswersPing(alice);
    assertNull(alice.closedWith());
  }
}
