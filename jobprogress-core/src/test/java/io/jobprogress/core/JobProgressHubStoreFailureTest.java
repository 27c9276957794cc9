package io.jobprogress.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A store that cannot be read (Redis away) never costs a connection: an exception never reaches the
 * transport (which would close the connection). A subscribe still goes ahead without the snapshot (the
 * broadcaster re-delivers the latest state once its transport is back) and live events arrive; any other
 * frame that needs the store gets an {@code internal} error frame, and works again once the store does.
 */
class JobProgressHubStoreFailureTest {
  private final AtomicBoolean failing = new AtomicBoolean();
  private final InMemorySnapshotStore backing = new InMemorySnapshotStore();
  private final SnapshotStore store = new SnapshotStore() {
    @Override
    public ProgressEvent append(ProgressEvent event) {
      return backing.append(event);
    }

    @Override
    public Optional<ProgressEvent> latest(String jobId) {
      check();
      return backing.latest(jobId);
    }

    @Override
    public List<ProgressEvent> history(String jobId, long afterSeq) {
      check();
      return backing.history(jobId, afterSeq);
    }

    @Override
    public List<ProgressEvent> recentJobsOf(String userId, Instant since, int limit) {
      check();
      return backing.recentJobsOf(userId, since, limit);
    }

    private void check() {
      if (failing.get()) {
        throw new IllegalStateException("store: connection refused");
      }
    }
  };
  private final HubFixture fx = new HubFixture(JobProgressHub.builder().tokenVerifier(TestTokens.verifier())
      .broadcaster(new ScriptedBroadcaster(store)).jobAuthorizer(JobAuthorizer.allowAll()));

  @AfterEach
  void close() {
    fx.close();
  }

  @Test
  void subscribeWhileTheStoreFailsStillSubscribesAndLiveEventsArrive() throws Exception {
    fx.hub.publishJobUpdate(ProgressEvent.queued("j", "alice"));
    RecordingConnection alice = fx.connect("alice");
    failing.set(true);
    fx.subscribe(alice, "j");
    assertEquals("j", alice.assertFrame("subscribed").get("jobId").getAsString());
    fx.assertAnswersPing(alice);
    assertNull(alice.closedWith(), "the connection was closed");

    failing.set(false);
    fx.hub.publishJobUpdate(ProgressEvent.completed("j", "alice", "Done"));
    assertStatus(alice.assertFrame("progress"), "completed");
  }

  @Test
  void syncWhileTheStoreFailsIsAnInternalErrorAndWorksOnceTheStoreIsBack() throws Exception {
    fx.hub.publishJobUpdate(ProgressEvent.queued("j", "alice"));
    RecordingConnection alice = fx.connect("alice");
    failing.set(true);
    fx.send(alice, "{\"type\":\"sync\"}");
    alice.assertError(ErrorCode.INTERNAL);
    fx.assertAnswersPing(alice);
    assertNull(alice.closedWith(), "the connection was closed");

    failing.set(false);
    fx.send(alice, "{\"type\":\"sync\"}");
    assertStatus(alice.assertFrame("progress"), "queued");
    assertEquals(1, alice.assertFrame("synced").get("count").getAsInt());
  }

  private static void assertStatus(com.google.gson.JsonObject frame, String status) {
    assertEquals(status, frame.get("status").getAsString(), () -> "frame " + frame);
  }
}
