package io.jobprogress.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * v1.1 resume: {@code subscribe} with {@code sinceSeq} and {@code epoch} replays exactly what the client
 * missed ({@code recovered:true}) or says it cannot ({@code recovered:false}, latest only); and the
 * per-connection seq filter: never an older seq after a newer one, a skipped seq filled from history.
 */
class JobProgressHubResumeTest {
  private RacingStore store = new RacingStore(new InMemorySnapshotStore());
  private ScriptedBroadcaster net;
  private HubFixture fx;

  @AfterEach
  void close() {
    if (fx != null) {
      fx.close();
    }
  }

  private JobProgressHub hub(SnapshotStore backing) {
    store = new RacingStore(backing);
    net = new ScriptedBroadcaster(store);
    fx = new HubFixture(JobProgressHub.builder().tokenVerifier(TestTokens.verifier()).broadcaster(net));
    return fx.hub;
  }

  private JobProgressHub hub() {
    return hub(new InMemorySnapshotStore());
  }

  /** Publishes {@code n} processing updates of job j for alice; returns the last. */
  private ProgressEvent publish(int n) {
    ProgressEvent last = null;
    for (int i = 0; i < n; i++) {
      last = fx.hub.publishJobUpdate(ProgressEvent.of("j", "alice", JobStatus.PROCESSING, i, "step", "s" + i));
    }
    return last;
  }

  private void resume(RecordingConnection c, String jobId, long sinceSeq, String epoch) {
    fx.send(c, "{\"type\":\"subscribe\",\"data\":{\"jobId\":\"" + jobId + "\",\"sinceSeq\":" + sinceSeq
        + ",\"epoch\":\"" + epoch + "\"}}");
  }

  /**
   * Publishes {@code published} updates of job j, then alice resumes at {@code sinceSeq} of their epoch while
   * the next history read fails (as one does while Redis restarts); checks {@code recovered} and returns her.
   */
  private RecordingConnection resumedWhileTheHistoryIsUnreadable(int published, long sinceSeq, boolean recovered)
      throws Exception {
    hub();
    String epoch = publish(published).epoch();
    RecordingConnection alice = fx.connect("alice");
    store.duringNextHistory.set(() -> {
      throw new IllegalStateException("history unreadable (Redis restarting)");
    });
    resume(alice, "j", sinceSeq, epoch);
    assertEquals(recovered, alice.assertFrame("subscribed").get("recovered").getAsBoolean());
    return alice;
  }

  /** Progress seqs until the pong that answers a ping sent now. */
  private List<Long> seqsUntilPong(RecordingConnection c) {
    List<JsonObject> progress = new ArrayList<>();
    fx.assertAnswersPingSkipping(c, progress);
    List<Long> seqs = new ArrayList<>();
    progress.forEach(p -> seqs.add(p.get("seq").getAsLong()));
    return seqs;
  }

  @Test
  void matchingEpochReplaysExactlyTheEventsAfterSinceSeqThenLiveOnes() throws Exception {
    hub();
    String epoch = publish(5).epoch();
    RecordingConnection alice = fx.connect("alice");
    resume(alice, "j", 2, epoch);
    assertTrue(alice.assertFrame("subscribed").get("recovered").getAsBoolean());
    assertEquals(List.of(3L, 4L, 5L), seqsUntilPong(alice));
    publish(1);
    assertEquals(List.of(6L), seqsUntilPong(alice));
    alice.assertNoMoreFrames();
  }

  @Test
  void aSubscribeWithTheDefaultAuthorizerReadsTheLatestStateTwiceNotThrice() throws Exception {
    hub();
    publish(3);
    RecordingConnection alice = fx.connect("alice");
    int before = store.latestReads.get();
    fx.send(alice, "{\"type\":\"subscribe\",\"data\":{\"jobId\":\"j\"}}");
    alice.assertFrame("subscribed");
    assertEquals(List.of(3L), seqsUntilPong(alice));
    // one read decides ownership and gives the snapshot; one after registration closes the gap
    assertEquals(2, store.latestReads.get() - before);
    fx.send(alice, "{\"type\":\"subscribe\",\"data\":{\"jobId\":\"unknown\"}}");
    alice.assertError(ErrorCode.FORBIDDEN);
    publish(1);
    assertEquals(List.of(4L), seqsUntilPong(alice));
  }

  @Test
  void aClientAlreadyUpToDateIsRecoveredWithNothingReplayed() throws Exception {
    hub();
    String epoch = publish(3).epoch();
    RecordingConnection alice = fx.connect("alice");
    resume(alice, "j", 3, epoch);
    assertTrue(alice.assertFrame("subscribed").get("recovered").getAsBoolean());
    assertEquals(List.of(), seqsUntilPong(alice));
  }

  @Test
  void aClientAlreadyUpToDateIsRecoveredWithoutReadingTheHistorySoAnUnreadableOneCannotDuplicateItsLatest()
      throws Exception {
    RecordingConnection alice = resumedWhileTheHistoryIsUnreadable(3, 3, true);
    assertEquals(List.of(), seqsUntilPong(alice)); // not seq 3 again
    assertTrue(store.duringNextHistory.get() != null, "the history was read");
    publish(1);
    assertEquals(List.of(4L), seqsUntilPong(alice));
    alice.assertNoMoreFrames();
  }

  @Test
  void aClientBehindWhileTheHistoryIsUnreadableIsNotRecoveredAndGetsTheLatestOnce() throws Exception {
    RecordingConnection alice = resumedWhileTheHistoryIsUnreadable(5, 2, false);
    assertEquals(List.of(5L), seqsUntilPong(alice));
    publish(1);
    assertEquals(List.of(6L), seqsUntilPong(alice));
  }

  @Test
  void anotherEpochIsNotRecoveredAndGetsTheLatestOnly() throws Exception {
    hub();
    publish(5);
    RecordingConnection alice = fx.connect("alice");
    resume(alice, "j", 2, "not-the-epoch");
    assertFalse(alice.assertFrame("subscribed").get("recovered").getAsBoolean());
    assertEquals(List.of(5L), seqsUntilPong(alice));
  }

  @Test
  void aHistoryTooShortToHoldEveryMissedEventIsNotRecovered() throws Exception {
    hub(new InMemorySnapshotStore(3, Duration.ofHours(1), Clock.systemUTC()));
    String epoch = publish(6).epoch(); // history holds 4, 5, 6; the client missed 2..6
    RecordingConnection alice = fx.connect("alice");
    resume(alice, "j", 1, epoch);
    assertFalse(alice.assertFrame("subscribed").get("recovered").getAsBoolean());
    assertEquals(List.of(6L), seqsUntilPong(alice));
  }

  @Test
  void aSinceSeqBeyondTheLatestIsNotRecoveredAndGetsTheLatest() throws Exception {
    hub();
    String epoch = publish(5).epoch();
    RecordingConnection alice = fx.connect("alice");
    resume(alice, "j", 9, epoch);
    assertFalse(alice.assertFrame("subscribed").get("recovered").getAsBoolean());
    assertEquals(List.of(5L), seqsUntilPong(alice));
  }

  @Test
  void aPlainSubscribeKeepsTheV1AnswerWithoutRecovered() throws Exception {
    hub();
    publish(2);
    RecordingConnection alice = fx.connect("alice");
    fx.subscribe(alice, "j");
    assertFalse(alice.assertFrame("subscribed").has("recovered"));
    assertEquals(List.of(2L), seqsUntilPong(alice));
  }

  @Test
  void invalidSinceSeqOrEpochIsAnErrorAndTheConnectionKeepsWorking() throws Exception {
    hub();
    String epoch = publish(4).epoch();
    RecordingConnection alice = fx.connect("alice");
    String head = "{\"type\":\"subscribe\",\"data\":{\"jobId\":\"j\",";
    for (String bad : List.of("\"sinceSeq\":-1,\"epoch\":\"" + epoch + "\"", "\"sinceSeq\":1.5,\"epoch\":\"" + epoch + "\"",
        "\"sinceSeq\":\"2\",\"epoch\":\"" + epoch + "\"", "\"sinceSeq\":1e3,\"epoch\":\"" + epoch + "\"",
        "\"epoch\":\"" + epoch + "\"")) {
      fx.send(alice, head + bad + "}}");
      alice.assertError(ErrorCode.INVALID_SINCE_SEQ);
    }
    for (String bad : List.of("\"sinceSeq\":1", "\"sinceSeq\":1,\"epoch\":\"\"", "\"sinceSeq\":1,\"epoch\":7",
        "\"sinceSeq\":1,\"epoch\":\"" + "e".repeat(65) + "\"", "\"sinceSeq\":1,\"epoch\":\"a b\"")) {
      fx.send(alice, head + bad + "}}");
      alice.assertError(ErrorCode.INVALID_EPOCH);
    }
    resume(alice, "j", 3, epoch);
    assertTrue(alice.assertFrame("subscribed").get("recovered").getAsBoolean());
    assertEquals(List.of(4L), seqsUntilPong(alice));
  }

  @Test
  void resumingAnotherUsersJobIsRefusedLikeAPlainSubscribe() throws Exception {
    hub();
    String epoch = fx.hub.publishJobUpdate(ProgressEvent.queued("bobs", "bob")).epoch();
    RecordingConnection alice = fx.connect("alice");
    resume(alice, "bobs", 0, epoch);
    alice.assertError(ErrorCode.FORBIDDEN);
    fx.hub.publishJobUpdate(ProgressEvent.completed("bobs", "bob", "done"));
    assertEquals(List.of(), seqsUntilPong(alice));
  }

  @Test
  void eventsPublishedDuringTheReplayAndAtRegistrationFollowItWithoutDuplicateOrReordering() throws Exception {
    hub();
    String epoch = publish(5).epoch();
    RecordingConnection alice = fx.connect("alice");
    store.duringNextHistory.set(() -> publish(2));           // 6, 7: stored while the replay is read
    store.duringNextLatest.set(() -> {                       // first read: before registration
      store.duringNextLatest.set(() -> publish(1));         // second read: 8, just after registration
    });
    resume(alice, "j", 2, epoch);
    assertTrue(alice.assertFrame("subscribed").get("recovered").getAsBoolean());
    publish(1);
    assertEquals(List.of(3L, 4L, 5L, 6L, 7L, 8L, 9L), seqsUntilPong(alice));
  }

  @Test
  void concurrentPublishingWhileResumingNeverShowsADuplicateAGapOrAStepBack() throws Exception {
    hub();
    for (int round = 0; round < 30; round++) {
      String job = "race-" + round;
      String epoch = null;
      for (int i = 0; i < 5; i++) {
        epoch = fx.hub.publishJobUpdate(ProgressEvent.of(job, "alice", JobStatus.PROCESSING, i, "", "")).epoch();
      }
      Thread worker = new Thread(() -> {
        for (int i = 0; i < 30; i++) {
          fx.hub.publishJobUpdate(ProgressEvent.of(job, "alice", JobStatus.PROCESSING, 10 + i, "", ""));
        }
        fx.hub.publishJobUpdate(ProgressEvent.completed(job, "alice", "done"));
      });
      RecordingConnection alice = fx.connect("alice");
      worker.start();
      resume(alice, job, 3, epoch);
      boolean recovered = alice.assertFrame("subscribed").get("recovered").getAsBoolean();
      List<Long> seqs = new ArrayList<>();
      while (seqs.isEmpty() || seqs.get(seqs.size() - 1) != 36) {
        seqs.add(alice.assertFrame("progress").get("seq").getAsLong());
      }
      worker.join();
      assertTrue(recovered, "history of 100 holds everything after seq 3");
      List<Long> expected = new ArrayList<>();
      for (long s = 4; s <= 36; s++) {
        expected.add(s);
      }
      assertEquals(expected, seqs, "round " + round);
      fx.session(alice).onClose();
    }
  }

  @Test
  void anOlderSeqArrivingAfterANewerOneIsDropped() throws Exception {
    hub();
    publish(2);
    ProgressEvent third = publish(1);
    RecordingConnection alice = fx.connect("alice");
    fx.subscribe(alice, "j");
    alice.assertFrame("subscribed");
    assertEquals(List.of(3L), seqsUntilPong(alice));
    net.deliverLate(store.history("j", 1).get(0)); // seq 2, late through a slow subscriber thread
    net.deliverLate(third);                          // seq 3 again: a duplicate
    assertEquals(List.of(), seqsUntilPong(alice));
    publish(1);
    assertEquals(List.of(4L), seqsUntilPong(alice));
  }

  @Test
  void anEventOfANewEpochIsDeliveredAfterAHigherSeqOfTheOldOne() throws Exception {
    hub();
    ProgressEvent fifth = publish(5);
    RecordingConnection alice = fx.connect("alice");
    fx.subscribe(alice, "j");
    alice.assertFrame("subscribed");
    assertEquals(List.of(5L), seqsUntilPong(alice));
    net.deliverLate(fifth.withSequence(1, "fresh-epoch"));
    assertEquals(List.of(1L), seqsUntilPong(alice));
  }

  @Test
  void aNewEpochFirstSeenAboveSeqOneIsFilledFromItsHistoryFromSeqOne() throws Exception {
    SwappableStore swappable = new SwappableStore(new InMemorySnapshotStore());
    hub(swappable);
    publish(5);
    RecordingConnection alice = fx.connect("alice");
    fx.subscribe(alice, "j");
    alice.assertFrame("subscribed");
    assertEquals(List.of(5L), seqsUntilPong(alice));
    swappable.current = new InMemorySnapshotStore(); // the store restarted empty: the job starts a new epoch
    net.muted = true;
    publish(3); // seqs 1..3 of the new epoch lost on their way (the subscriber was still reconnecting)
    net.muted = false;
    publish(1);
    assertEquals(List.of(1L, 2L, 3L, 4L), seqsUntilPong(alice));
  }

  /** A store that can be replaced by an empty one, as a Redis restarted without persistence is. */
  private static final class SwappableStore implements SnapshotStore {
    volatile SnapshotStore current;

    SwappableStore(SnapshotStore first) {
      this.current = first;
    }

    @Override
    public ProgressEvent append(ProgressEvent event) {
      return current.append(event);
    }

    @Override
    public java.util.Optional<ProgressEvent> latest(String jobId) {
      return current.latest(jobId);
    }

    @Override
    public List<ProgressEvent> history(String jobId, long afterSeq) {
      return current.history(jobId, afterSeq);
    }

    @Override
    public List<ProgressEvent> recentJobsOf(String userId, java.time.Instant since, int limit) {
      return current.recentJobsOf(userId, since, limit);
    }
  }

  @Test
  void aSeqThatNeverArrivedLiveIsFilledFromHistoryBeforeTheNewerOne() throws Exception {
    hub();
    publish(1);
    RecordingConnection alice = fx.connect("alice");
    fx.subscribe(alice, "j");
    alice.assertFrame("subscribed");
    assertEquals(List.of(1L), seqsUntilPong(alice));
    net.muted = true;
    publish(2); // 2, 3 lost on their way
    net.muted = false;
    publish(1);
    assertEquals(List.of(2L, 3L, 4L), seqsUntilPong(alice));
  }

  @Test
  void aGapTheHistoryNoLongerHoldsIsSkippedToTheNewerEvent() throws Exception {
    hub(new InMemorySnapshotStore(2, Duration.ofHours(1), Clock.systemUTC()));
    publish(1);
    RecordingConnection alice = fx.connect("alice");
    fx.subscribe(alice, "j");
    alice.assertFrame("subscribed");
    assertEquals(List.of(1L), seqsUntilPong(alice));
    net.muted = true;
    publish(3); // 2..4 lost; the history keeps only the last two
    net.muted = false;
    publish(1);
    assertEquals(List.of(5L), seqsUntilPong(alice));
  }

  @Test
  void afterUnsubscribeALateEventOfTheJobIsNotSent() throws Exception {
    hub();
    ProgressEvent first = publish(1);
    RecordingConnection alice = fx.connect("alice");
    fx.subscribe(alice, "j");
    alice.assertFrame("subscribed");
    assertEquals(List.of(1L), seqsUntilPong(alice));
    fx.send(alice, "{\"type\":\"unsubscribe\",\"data\":{\"jobId\":\"j\"}}");
    alice.assertFrame("unsubscribed");
    net.deliverLate(first.withSequence(2, first.epoch()));
    assertEquals(List.of(), seqsUntilPong(alice));
  }
}
