package io.jobprogress.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A store that fails while a client subscribes (Redis away) costs that subscribe an {@code internal} error
 * frame and nothing else: the exception never reaches the transport (which would close the connection),
 * the connection keeps working, and the same subscribe succeeds once the store answers again.
 */
class JobProgressHubStoreFailureTest {
  private final RacingStore store = new RacingStore(new InMemorySnapshotStore());
  private final HubFixture fx = new HubFixture(JobProgressHub.builder().tokenVerifier(TestTokens.verifier())
      .broadcaster(new ScriptedBroadcaster(store)).jobAuthorizer(JobAuthorizer.allowAll()));

  @AfterEach
  void close() {
    fx.close();
  }

  @Test
  void aStoreFailingDuringSubscribeIsAnInternalErrorAndTheConnectionKeepsWorking() throws Exception {
    fx.hub.publishJobUpdate(ProgressEvent.queued("j", "alice"));
    RecordingConnection alice = fx.connect("alice");
    store.duringNextLatest.set(() -> {
      throw new IllegalStateException("store: connection refused");
    });
    fx.send(alice, "{\"type\":\"subscribe\",\"data\":{\"jobId\":\"j\"}}");
    assertEquals("j", alice.assertError(ErrorCode.INTERNAL).get("jobId").getAsString());
    assertNull(alice.closedWith(), "the connection was closed");
    assertEquals(0, fx.hub.registry().subscriptionCount(alice), "a failed subscribe left a subscription");
    fx.assertAnswersPing(alice);

    fx.subscribe(alice, "j");
    alice.assertFrame("subscribed");
    assertEquals("queued", alice.assertFrame("progress").get("status").getAsString());
    fx.hub.publishJobUpdate(ProgressEvent.completed("j", "alice", "Done"));
    assertEquals("completed", alice.assertFrame("progress").get("status").getAsString());
  }
}
