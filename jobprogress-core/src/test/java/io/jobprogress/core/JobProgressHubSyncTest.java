package io.jobprogress.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** v1.1 {@code sync}: the latest state of each of the user's recently changed jobs, then {@code synced}. */
class JobProgressHubSyncTest {
  /** The store's clock: lets a test write a job "two days ago". */
  private static final class MovableClock extends Clock {
    volatile Duration back = Duration.ZERO;

    @Override
    public Instant instant() {
      return Instant.now().minus(back);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  private final MovableClock storeClock = new MovableClock();
  private final InMemorySnapshotStore store = new InMemorySnapshotStore(100, Duration.ofDays(7), storeClock);
  private HubFixture fx = fixture(HubSettings.defaults());

  private HubFixture fixture(HubSettings settings) {
    return new HubFixture(JobProgressHub.builder().tokenVerifier(TestTokens.verifier()).settings(settings)
        .broadcaster(new InMemoryBroadcaster(new InMemoryBroadcaster.Network(store))));
  }

  @AfterEach
  void close() {
    fx.close();
  }

  /** Sends sync; returns the progress frames by job id, asserting synced's count matches them. */
  private Map<String, JsonObject> sync(RecordingConnection c) {
    fx.send(c, "{\"type\":\"sync\"}");
    Map<String, JsonObject> byJob = new HashMap<>();
    while (true) {
      JsonObject o = c.next();
      String type = o.get("type").getAsString();
      if (type.equals("synced")) {
        assertEquals(byJob.size(), o.get("count").getAsInt(), () -> "synced " + o);
        assertTrue(o.has("timestamp"));
        return byJob;
      }
      assertEquals("progress", type, () -> "frame " + o);
      assertEquals(null, byJob.put(o.get("jobId").getAsString(), o), () -> "twice: " + o);
    }
  }

  @Test
  void aUserWithTwentyJobsSomeFinishedWhileOfflineGetsAllTwentyCurrentStatesAndNoOtherUsersJob()
      throws Exception {
    Map<String, ProgressEvent> truth = new HashMap<>();
    for (int i = 0; i < 20; i++) {
      String job = "a-" + i;
      fx.hub.publishJobUpdate(ProgressEvent.queued(job, "alice"));
      ProgressEvent last = fx.hub.publishJobUpdate(ProgressEvent.of(job, "alice", JobStatus.PROCESSING, 40, "", ""));
      if (i % 3 == 0) {
        last = fx.hub.publishJobUpdate(ProgressEvent.completed(job, "alice", "done offline"));
      } else if (i % 5 == 0) {
        last = fx.hub.publishJobUpdate(ProgressEvent.failed(job, "alice", 40, "broke offline"));
      }
      truth.put(job, last);
    }
    for (int i = 0; i < 7; i++) {
      fx.hub.publishJobUpdate(ProgressEvent.completed("b-" + i, "bob", "bob's"));
    }
    RecordingConnection alice = fx.connect("alice");
    Map<String, JsonObject> got = sync(alice);
    assertEquals(truth.keySet(), got.keySet());
    truth.forEach((job, e) -> {
      assertEquals(e.seq(), got.get(job).get("seq").getAsLong(), job);
      assertEquals(e.status().wireName(), got.get(job).get("status").getAsString(), job);
      assertEquals("alice", got.get(job).get("userId").getAsString(), job);
    });
    fx.assertAnswersPing(alice);
  }

  @Test
  void aUserWithoutJobsGetsSyncedZero() throws Exception {
    fx.hub.publishJobUpdate(ProgressEvent.queued("b-1", "bob"));
    RecordingConnection carol = fx.connect("carol");
    assertEquals(Map.of(), sync(carol));
  }

  @Test
  void jobsLastChangedBeforeTheWindowAreLeftOut() throws Exception {
    storeClock.back = Duration.ofDays(2);
    fx.hub.publishJobUpdate(ProgressEvent.completed("old", "alice", "long ago"));
    storeClock.back = Duration.ZERO;
    fx.hub.publishJobUpdate(ProgressEvent.queued("new", "alice"));
    RecordingConnection alice = fx.connect("alice");
    assertEquals(java.util.Set.of("new"), sync(alice).keySet());
  }

  @Test
  void syncSendsAtMostTheConfiguredNumberOfJobs() throws Exception {
    fx.close();
    fx = fixture(HubSettings.builder().syncMaxJobs(5).build());
    for (int i = 0; i < 12; i++) {
      fx.hub.publishJobUpdate(ProgressEvent.queued("a-" + i, "alice"));
    }
    RecordingConnection alice = fx.connect("alice");
    assertEquals(5, sync(alice).size());
  }

  @Test
  void aSubscribedJobAlreadyUpToDateIsNotSentAgainAndTheCountSaysSo() throws Exception {
    fx.hub.publishJobUpdate(ProgressEvent.queued("a-1", "alice"));
    fx.hub.publishJobUpdate(ProgressEvent.queued("a-2", "alice"));
    RecordingConnection alice = fx.connect("alice");
    fx.subscribe(alice, "a-1");
    alice.assertFrame("subscribed");
    alice.assertProgress("a-1", 0);
    Map<String, JsonObject> got = sync(alice);
    assertEquals(java.util.Set.of("a-2"), got.keySet());
    assertFalse(got.containsKey("a-1"));
  }
}
