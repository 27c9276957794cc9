package io.jobprogress.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A subscriber never receives an older progress frame after a newer one when an update is published
 * while it subscribes. The store below publishes that update from inside the hub's snapshot read, the
 * exact moment a concurrent worker could.
 */
class JobProgressHubOrderingTest {
  private final AtomicReference<Runnable> duringNextRead = new AtomicReference<>();
  private final java.util.concurrent.atomic.AtomicInteger readsBeforeRace = new java.util.concurrent.atomic.AtomicInteger();
  private final InMemorySnapshotStore backing = new InMemorySnapshotStore();
  private final SnapshotStore racingStore = new SnapshotStore() {
    @Override
    public ProgressEvent append(ProgressEvent event) {
      return backing.append(event);
    }

    @Override
    public Optional<ProgressEvent> latest(String jobId) {
      Optional<ProgressEvent> read = backing.latest(jobId);
      Runnable race = readsBeforeRace.getAndDecrement() > 0 ? null : duringNextRead.getAndSet(null);
      if (race != null) {
        race.run();
      }
      return read;
    }

    @Override
    public List<ProgressEvent> history(String jobId, long afterSeq) {
      return backing.history(jobId, afterSeq);
    }

    @Override
    public List<ProgressEvent> recentJobsOf(String userId, java.time.Instant since, int limit) {
      return backing.recentJobsOf(userId, since, limit);
    }
  };
  private final HubFixture fx = new HubFixture(JobProgressHub.builder()
      .tokenVerifier(TestTokens.verifier())
      .broadcaster(new InMemoryBroadcaster(new InMemoryBroadcaster.Network(racingStore)))
      .jobAuthorizer(JobAuthorizer.allowAll()));

  @AfterEach
  void close() {
    fx.close();
  }

  /** Subscribes while a completion is published during the {@code readsBefore + 1}-th snapshot read. */
  private List<JsonObject> subscribeWhileCompleting(int readsBefore) throws Exception {
    fx.hub.publishJobUpdate(ProgressEvent.of("j", "alice", JobStatus.PROCESSING, 90, "", ""));
    RecordingConnection alice = fx.connect("alice");
    readsBeforeRace.set(readsBefore);
    duringNextRead.set(() -> fx.hub.publishJobUpdate(ProgressEvent.completed("j", "alice", "done")));
    fx.subscribe(alice, "j");
    alice.assertFrame("subscribed");
    List<JsonObject> progress = new ArrayList<>();
    fx.assertAnswersPingSkipping(alice, progress);
    return progress;
  }

  private static void assertEndsCompletedWithoutGoingBack(List<JsonObject> progress) {
    assertEquals("completed", progress.get(progress.size() - 1).get("status").getAsString(),
        () -> "frames after subscribe: " + progress);
    long lastSeq = 0;
    for (JsonObject p : progress) {
      long seq = p.get("seq").getAsLong();
      assertEquals(true, seq >= lastSeq, () -> "seq went backwards: " + progress);
      lastSeq = seq;
    }
  }

  @Test
  void completionPublishedDuringTheSnapshotReadIsTheLastFrameTheClientSees() throws Exception {
    assertEndsCompletedWithoutGoingBack(subscribeWhileCompleting(0));
  }

  @Test
  void completionPublishedJustAfterRegistrationIsTheLastFrameTheClientSees() throws Exception {
    assertEndsCompletedWithoutGoingBack(subscribeWhileCompleting(1));
  }
}
