package io.jobprogress.core.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jobprogress.core.ErrorCode;
import io.jobprogress.core.HubSession;
import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.ProgressEvent;
import io.jobprogress.core.ProgressFrames;
import io.jobprogress.core.RecordingConnection;
import io.jobprogress.core.TestTokens;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A live {@code refresh} may extend the connection's token, never change whose connection it is. */
class TokenRefreshTest {
  private final JobProgressHub hub = JobProgressHub.builder().tokenVerifier(TestTokens.verifier()).build();

  @AfterEach
  void close() {
    hub.close();
  }

  @Test
  void refreshWithAnotherUsersTokenIsRefusedAndTheConnectionStaysAlices() throws Exception {
    hub.publishJobUpdate(ProgressEvent.queued("bobs-job", "bob"));
    RecordingConnection alice = new RecordingConnection("alice");
    HubSession s = hub.open(alice, hub.authenticate(TestTokens.token("alice")));
    alice.assertFrame("connected");

    s.onText("{\"type\":\"refresh\",\"data\":{\"token\":\"" + TestTokens.token("bob") + "\"}}");
    alice.assertError(ErrorCode.REFRESH_REFUSED);
    s.onText("{\"type\":\"subscribe\",\"data\":{\"jobId\":\"bobs-job\"}}");
    alice.assertError(ErrorCode.FORBIDDEN);
    assertEquals("alice", s.userId());
    assertNull(alice.closedWith());
    alice.assertNoMoreFrames();
  }

  @Test
  void refreshWithALaterTokenOfTheSameUserMovesTheExpiry() throws Exception {
    RecordingConnection alice = new RecordingConnection("alice");
    HubSession s = hub.open(alice, hub.authenticate(TestTokens.token("alice", Duration.ofMinutes(10))));
    Instant first = Instant.parse(alice.assertFrame("connected").get("expiresAt").getAsString());

    String later = TestTokens.token("alice", Duration.ofHours(2));
    Instant expected = hub.authenticate(later).expiresAt();
    s.onText("{\"type\":\"refresh\",\"data\":{\"token\":\"" + later + "\"}}");
    Instant refreshed = Instant.parse(alice.assertFrame("token_refreshed").get("expiresAt").getAsString());
    assertEquals(ProgressFrames.timestamp(expected), ProgressFrames.timestamp(refreshed));
    assertEquals(expected, s.expiresAt());
    assertEquals(true, refreshed.isAfter(first));
    alice.assertNoMoreFrames();
  }

  @Test
  void refreshWithAnExpNullTokenIsRefusedAndTheConnectionKeepsItsExpiry() throws Exception {
    RecordingConnection alice = new RecordingConnection("alice");
    HubSession s = hub.open(alice, hub.authenticate(TestTokens.token("alice", Duration.ofMinutes(10))));
    alice.assertFrame("connected");
    Instant before = s.expiresAt();

    long now = Instant.now().getEpochSecond();
    String eternal = TokenMint.hs256Raw(TestTokens.SECRET.getBytes(StandardCharsets.UTF_8), "{\"alg\":\"HS256\"}",
        "{\"sub\":\"alice\",\"iat\":" + now + ",\"exp\":null}");
    s.onText("{\"type\":\"refresh\",\"data\":{\"token\":\"" + eternal + "\"}}");
    alice.assertError(ErrorCode.REFRESH_REFUSED);
    assertEquals(before, s.expiresAt(), "the connection keeps the expiry of its last good token");

    String later = TestTokens.token("alice", Duration.ofHours(2));
    s.onText("{\"type\":\"refresh\",\"data\":{\"token\":\"" + later + "\"}}");
    alice.assertFrame("token_refreshed");
    assertEquals(true, s.expiresAt().isAfter(before), "a good refresh still works afterwards");
    assertNull(alice.closedWith());
    alice.assertNoMoreFrames();
  }
}
