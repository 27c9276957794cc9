package io.jobprogress.jakarta.ws.security;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.JWTClaimsSet;
import io.jobprogress.core.CloseReason;
import io.jobprogress.core.HubSettings;
import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.jwt.JwtTokenVerifier;
import io.jobprogress.core.TestTokens;
import io.jobprogress.jakarta.ws.testing.Container;
import io.jobprogress.jakarta.ws.testing.HubServer;
import io.jobprogress.jakarta.ws.testing.RecordingClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tokens expire on live connections too: with no grace and no clock skew, a 2-second token's connection in Jetty
 * (its Jakarta layer and its core) gets {@code token_expiring}, then close 1008 {@code token_expired} once the
 * token has expired, without the client saying anything; a {@code refresh} with a fresh token of the same user
 * keeps it open past the first expiry. {@code exp} has whole seconds, so tokens expire at the second boundary two
 * to three seconds ahead; the warning window is one second.
 */
@ParameterizedClass(name = "{0}", allowZeroInvocations = true)
@MethodSource("io.jobprogress.jakarta.ws.testing.Container#jettyBoth")
class LiveTokenExpiryIT {
  @RegisterExtension
  final NoTokenInLogs logs = new NoTokenInLogs();

  @Parameter
  Container container;

  private HubServer server;

  @BeforeEach
  void start() throws Exception {
    JobProgressHub hub = JobProgressHub.builder()
        .tokenVerifier(JwtTokenVerifier.hmac(TestTokens.SECRET).clockSkew(Duration.ZERO).build())
        .settings(HubSettings.builder().tokenExpiryGrace(Duration.ZERO)
            .tokenExpiryWarning(Duration.ofSeconds(1)).build())
        .build();
    server = HubServer.start(container, hub);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  /** A token for {@code user} expiring at the second boundary two to three seconds from now. */
  private String twoSecondToken(String user) {
    Instant exp = Instant.ofEpochSecond(Instant.now().getEpochSecond() + 3);
    return logs.token(TestTokens.sign(TestTokens.SECRET, new JWTClaimsSet.Builder().subject(user)
        .issueTime(new Date()).expirationTime(Date.from(exp)).build()));
  }

  @Test
  void twoSecondTokenIsWarnedThenClosedWithTokenExpiredAfterItExpires() {
    try (RecordingClient client = RecordingClient.connect(server.wsUri(twoSecondToken("alice")))) {
      Instant exp = Instant.parse(client.assertFrame("connected").get("expiresAt").getAsString());
      assertEquals(exp, Instant.parse(client.assertFrame("token_expiring").get("expiresAt").getAsString()));

      RecordingClient.Close close = client.awaitClose();
      assertFalse(Instant.now().isBefore(exp), "closed before the token expired");
      assertEquals(new RecordingClient.Close(1008, CloseReason.TOKEN_EXPIRED.reason()), close);
      client.assertNoMoreFrames();
    }
    await().until(() -> server.hub().stats().connections().totalClients() == 0);
    logs.assertLogged("Token expired on a live connection of user alice");
  }

  @Test
  void refreshWithAFreshTokenOfTheSameUserKeepsTheConnectionOpenPastTheFirstExpiry() {
    try (RecordingClient client = RecordingClient.connect(server.wsUri(twoSecondToken("alice")))) {
      Instant exp = Instant.parse(client.assertFrame("connected").get("expiresAt").getAsString());
      client.assertFrame("token_expiring");
      String fresh = logs.token(TestTokens.token("alice", Duration.ofHours(1)));
      client.send("{\"type\":\"refresh\",\"data\":{\"token\":\"" + fresh + "\"}}");
      Instant refreshed = Instant.parse(client.assertFrame("token_refreshed").get("expiresAt").getAsString());
      assertTrue(refreshed.isAfter(exp));

      // wait out the first expiry (plus a second for the timer thread), then prove the connection still talks
      await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(exp.plusSeconds(1)));
      client.assertPingAnswered();
      assertFalse(client.isClosed());
      assertEquals(1, server.hub().stats().connections().totalClients());
      client.assertNoMoreFrames();
    }
  }
}
