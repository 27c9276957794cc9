package io.jobprogress.core.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jobprogress.core.ErrorCode;
import io.jobprogress.core.HubSession;
import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.RecordingConnection;
import io.jobprogress.core.TokenRejectedException;
import io.jobprogress.core.security.AttackFixture.Attack;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every hostile token of {@link AttackFixture} is refused by the hub with its close reason
 * ({@code token_expired} only for expiry), at the handshake and as a live {@code refresh}; a good token
 * still works afterwards. The container-level twin of this test runs against a real WebSocket server.
 */
class TokenAttackMatrixTest {

  static java.util.List<org.junit.jupiter.params.provider.Arguments> matrix() {
    return AttackFixture.matrix();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("matrix")
  void attackIsRefusedWithItsCloseReasonAndAGoodTokenStillWorks(Attack attack, AttackFixture fixture) {
    try (JobProgressHub hub = JobProgressHub.builder().tokenVerifier(fixture.verifier()).build()) {
      String bad = attack.token().apply(fixture);

      TokenRejectedException refused = assertThrows(TokenRejectedException.class, () -> hub.authenticate(bad));
      assertEquals(attack.expected(), refused.reason(), refused.getMessage());
      if (bad != null && !bad.isEmpty()) {
        assertFalse(refused.getMessage().contains(bad), "the refusal message must not contain the token");
      }

      RecordingConnection alice = new RecordingConnection("alice");
      HubSession session = assertOpens(hub, alice, fixture.sign(AttackFixture.valid("alice").build()));
      session.onText("{\"type\":\"refresh\",\"data\":{\"token\":" + json(bad) + "}}");
      alice.assertError(bad == null || bad.isEmpty() ? ErrorCode.MISSING_TOKEN : ErrorCode.REFRESH_REFUSED);
      session.onText("{\"type\":\"ping\"}");
      alice.assertFrame("pong");
      alice.assertNoMoreFrames();
      assertEquals(null, alice.closedWith(), "a refused refresh leaves the connection open");
    }
  }

  private static HubSession assertOpens(JobProgressHub hub, RecordingConnection conn, String token) {
    try {
      HubSession s = hub.open(conn, hub.authenticate(token));
      assertEquals(conn.userId(), conn.assertFrame("connected").get("userId").getAsString());
      return s;
    } catch (TokenRejectedException e) {
      throw new AssertionError("a good token was refused: " + e.getMessage(), e);
    }
  }

  private static String json(String s) {
    return s == null ? "null" : "\"" + s + "\"";
  }
}
