package io.jobprogress.core.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobprogress.core.HubSession;
import io.jobprogress.core.HubSettings;
import io.jobprogress.core.InMemoryBroadcaster;
import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.ProgressEvent;
import io.jobprogress.core.RecordingConnection;
import io.jobprogress.core.TokenRejectedException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * Runs the whole attack matrix through the hub (handshake, live refresh, first-frame auth) plus a normal
 * session with accepted refreshes, with the library's loggers at TRACE, and finds no token in the log.
 */
class NoTokenInLogsTest {
  @RegisterExtension
  final LogCapture logs = LogCapture.atTrace(JobProgressHub.class, InMemoryBroadcaster.class);

  // Every frame must reach the hub: the rate limit would otherwise swallow some refresh attempts.
  private static final HubSettings UNLIMITED = HubSettings.builder().messagesPerSecond(10_000)
      .messageBurst(10_000).userMessagesPerSecond(10_000).build();

  @Test
  void theCaptureDetectsATokenLoggedAtDebug() {
    String token = AttackFixture.HS256.sign(AttackFixture.valid("alice").build());
    LoggerFactory.getLogger(JobProgressHub.class).debug("leaking {}", token.substring(token.lastIndexOf('.') + 1));
    assertThrows(AssertionError.class, () -> logs.assertNoTrace(token));
  }

  @Test
  void noTokenOrTokenPartAppearsInAnyLogLineAcrossTheAttackMatrix() throws Exception {
    List<String> tokens = new ArrayList<>();
    int refusals = 0;
    for (AttackFixture fixture : AttackFixture.values()) {
      try (JobProgressHub hub = JobProgressHub.builder().tokenVerifier(fixture.verifier())
          .settings(UNLIMITED).build()) {
        String good = fixture.sign(AttackFixture.valid("alice").build());
        String refreshed = fixture.sign(AttackFixture.valid("alice").jwtID("second").build());
        String bobs = fixture.sign(AttackFixture.valid("bob").build());
        tokens.addAll(List.of(good, refreshed, bobs));
        refusals++; // bob's token on alice's connection
        RecordingConnection alice = new RecordingConnection("alice");
        HubSession session = hub.open(alice, hub.authenticate(good));
        hub.publishJobUpdate(ProgressEvent.queued("job-1", "alice"));
        session.onText("{\"type\":\"subscribe\",\"data\":{\"jobId\":\"job-1\"}}");
        session.onText("{\"type\":\"refresh\",\"data\":{\"token\":\"" + refreshed + "\"}}");
        session.onText("{\"type\":\"refresh\",\"data\":{\"token\":\"" + bobs + "\"}}");
        for (AttackFixture.Attack attack : AttackFixture.ATTACKS) {
          String bad = attack.token().apply(fixture);
          tokens.add(bad);
          refusals += "".equals(bad) ? 0 : 2; // an empty token is a malformed frame, not a refusal
          assertThrows(TokenRejectedException.class, () -> hub.authenticate(bad));
          session.onText("{\"type\":\"refresh\",\"data\":{\"token\":\"" + bad + "\"}}");
          session.onText("{\"type\":\"auth\",\"data\":{\"token\":\"" + bad + "\"}}");
          session.onText("{\"type\":\"nonsense\",\"data\":{\"token\":\"" + bad + "\"}}");
        }
        session.onClose();
        assertEquals(null, alice.closedWith());
      }
    }
    String log = logs.text();
    assertEquals(refusals, count(log, "Token refresh refused"), log);
    assertTrue(log.contains("Token refresh refused"), "the capture must have seen the hub's refusals:\n" + log);
    assertTrue(log.contains("Token refreshed"), "the capture must have seen debug lines:\n" + log);
    for (String token : tokens) {
      logs.assertNoTrace(token);
    }
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }
}
