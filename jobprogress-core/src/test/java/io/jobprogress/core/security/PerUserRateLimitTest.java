package io.jobprogress.core.security;

import static org.junit.jupiter.api.Assertions.assertNull;

import io.jobprogress.core.ErrorCode;
import io.jobprogress.core.HubSession;
import io.jobprogress.core.HubSettings;
import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.RecordingConnection;
import io.jobprogress.core.TestTokens;
import io.jobprogress.core.TokenRejectedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The per-user message budget ({@link HubSettings#userMessagesPerSecond()}) spans all of a user's connections. */
class PerUserRateLimitTest {
  // Per connection: plenty. Per user: 0.5/s, so a burst of exactly one frame, refilled after 2 s.
  private final JobProgressHub hub = JobProgressHub.builder().tokenVerifier(TestTokens.verifier())
      .settings(HubSettings.builder().messagesPerSecond(1000).messageBurst(1000)
          .userMessagesPerSecond(0.5).floodCloseAfter(1000).build())
      .build();

  @AfterEach
  void close() {
    hub.close();
  }

  private HubSession open(RecordingConnection c) throws TokenRejectedException {
    HubSession s = hub.open(c, hub.authenticate(TestTokens.token(c.userId())));
    c.assertFrame("connected");
    return s;
  }

  @Test
  void twoConnectionsOfOneUserShareTheBudgetAndAnotherUserIsUnaffected() throws Exception {
    RecordingConnection tab1 = new RecordingConnection("alice");
    RecordingConnection tab2 = new RecordingConnection("alice");
    RecordingConnection bob = new RecordingConnection("bob");
    HubSession s1 = open(tab1);
    HubSession s2 = open(tab2);
    HubSession sb = open(bob);

    s1.onText("{\"type\":\"ping\"}");
    tab1.assertFrame("pong");
    s2.onText("{\"type\":\"ping\"}");
    tab2.assertError(ErrorCode.RATE_LIMITED);
    s1.onText("{\"type\":\"ping\"}");
    tab1.assertError(ErrorCode.RATE_LIMITED);

    sb.onText("{\"type\":\"ping\"}");
    bob.assertFrame("pong");

    for (RecordingConnection c : new RecordingConnection[] {tab1, tab2, bob}) {
      c.assertNoMoreFrames();
      assertNull(c.closedWith(), "an error frame, not a close, below floodCloseAfter");
    }
  }
}
