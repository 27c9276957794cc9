package io.jobprogress.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobprogress.core.JobStatus;
import io.jobprogress.core.ProgressEvent;
import io.jobprogress.core.SnapshotStore.StaleEventException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/**
 * The publish script's applied-call marks ({@link PublishScript}, "Applied-call marks"), run against a real
 * redis-server: a repeated call is applied once and answers its own first seq, a batch retried whole answers
 * each call its own, a late copy of a settled call changes nothing, and the marks a job keeps stay bounded
 * under concurrent synchronous publishes and an asynchronous flood. The retries themselves (a restart, a
 * SIGSTOP) are {@code RedisPublisherOutageIT}'s.
 */
class PublishMarksIT {
  @RegisterExtension static final RedisServerProcess redis = RedisServerProcess.perClass();

  private RedisPublisher publisher;
  private RedisSnapshotStore reader;
  private final String job = "marks-" + System.nanoTime();

  @BeforeEach
  void open() {
    publisher = new RedisPublisher(RedisSettings.builder(redis.url()).build());
    reader = new RedisSnapshotStore(RedisSettings.builder(redis.url()).build());
  }

  @AfterEach
  void close() {
    publisher.close();
    reader.close();
  }

  private static ProgressEvent step(String job, int progress) {
    return ProgressEvent.of(job, "u1", JobStatus.PROCESSING, progress, "s", "step " + progress);
  }

  private ProgressEvent run(RedisPublisher.Call call, RedisPublisher.Mark mark) {
    return RedisPublisher.result(call, publisher.runOnce(call, mark));
  }

  /** The stream's next mark in {@code slot}, as its sender gives it. */
  private static RedisPublisher.Mark mark(MarkStream stream, int slot) {
    return new RedisPublisher.Mark(stream.field(slot), stream.next());
  }

  /** The applied-call mark fields of {@code jobId}'s meta hash. */
  private Set<String> marks(String jobId) {
    try (Jedis j = redis.jedis()) {
      Set<String> fields = new HashSet<>(j.hkeys(new RedisKeys("").meta(jobId)));
      fields.removeAll(Set.of("seq", "epoch", "term"));
      fields.forEach(f -> assertTrue(f.startsWith("m"), "only marks besides seq, epoch and term: " + f));
      return fields;
    }
  }

  @Test
  void aCallRunTwiceIsAppliedOnceAndAnswersItsFirstSeqAndEpoch() {
    MarkStream stream = new MarkStream();
    RedisPublisher.Call call = publisher.prepare(step(job, 10));
    RedisPublisher.Mark once = mark(stream, 0);
    ProgressEvent first = run(call, once);
    ProgressEvent again = run(call, once);

    assertEquals(first, again);
    assertEquals(1, first.seq());
    assertEquals(List.of(first), reader.history(job, 0));
    // the stream's next call, and a synchronous publish (another stream), are new events
    assertEquals(2, run(publisher.prepare(step(job, 20)), mark(stream, 0)).seq());
    assertEquals(3, publisher.publish(step(job, 30)).seq());
    assertEquals(3, reader.history(job, 0).size());
  }

  @Test
  void aBatchRetriedWholeAnswersEachCallItsOwnSeqAndStoresNothingTwice() {
    String other = job + "-other";
    MarkStream stream = new MarkStream();
    List<RedisPublisher.Call> calls = List.of(publisher.prepare(step(job, 10)), publisher.prepare(step(other, 10)),
        publisher.prepare(step(job, 20)), publisher.prepare(ProgressEvent.completed(job, "u1", "done")));
    // slots as AsyncPublishQueue gives them: the call's position among the batch's calls of its job
    List<RedisPublisher.Mark> marks = List.of(mark(stream, 0), mark(stream, 0), mark(stream, 1), mark(stream, 2));
    List<ProgressEvent> first = new ArrayList<>();
    for (int i = 0; i < calls.size(); i++) {
      first.add(run(calls.get(i), marks.get(i)));
    }
    List<ProgressEvent> retried = new ArrayList<>();
    for (int i = 0; i < calls.size(); i++) {
      retried.add(run(calls.get(i), marks.get(i)));
    }

    assertEquals(first, retried, "each call of the retried batch answers its own first result");
    assertEquals(List.of(1L, 1L, 2L, 3L), first.stream().map(ProgressEvent::seq).toList());
    assertEquals(List.of(first.get(0), first.get(2), first.get(3)), reader.history(job, 0));
    assertEquals(List.of(first.get(1)), reader.history(other, 0));
    assertEquals(JobStatus.COMPLETED, reader.latest(job).orElseThrow().status());
    assertEquals(Set.of(stream.field(0), stream.field(1), stream.field(2)), marks(job));
  }

  @Test
  void aLateCopyOfACallItsStreamHasMovedPastIsRefusedAndChangesNothing() {
    MarkStream stream = new MarkStream();
    RedisPublisher.Call early = publisher.prepare(step(job, 10));
    RedisPublisher.Mark earlyMark = mark(stream, 0);
    run(early, earlyMark);
    ProgressEvent later = run(publisher.prepare(step(job, 20)), mark(stream, 0));

    // what a dead connection's pipeline would run after the retry and the next batch went through
    RedisException refused = assertThrows(RedisException.class, () -> run(early, earlyMark));
    assertTrue(refused.getMessage().contains("was not applied: a later call of its sender was applied first"),
        refused.getMessage());
    assertEquals(later, reader.latest(job).orElseThrow(), "the snapshot did not go back");
    assertEquals(2, reader.history(job, 0).size());
    // and the job goes on
    assertEquals(3, publisher.publish(step(job, 30)).seq());
  }

  @Test
  void aRepeatedCallIsAnsweredAsAppliedEvenAfterItsJobFinished() {
    RedisPublisher.Call call = publisher.prepare(step(job, 10));
    RedisPublisher.Mark stored = mark(new MarkStream(), 0);
    ProgressEvent first = run(call, stored);
    publisher.publish(ProgressEvent.completed(job, "u1", "done"));

    // the mark is checked before the terminal refusal, as a retry of a stored update must not fail
    assertEquals(first, run(call, stored));
    assertThrows(StaleEventException.class, () -> publisher.publish(step(job, 50)));
  }

  @Test
  void concurrentSynchronousPublishesToOneJobGetDistinctSeqsAndLeaveAMarkPerCallRunningAtOnce() throws Exception {
    int threads = 8;
    int each = 100;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<List<Long>>> seqs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int base = t * each;
        seqs.add(pool.submit(() -> {
          go.await();
          List<Long> mine = new ArrayList<>();
          for (int i = 0; i < each; i++) {
            mine.add(publisher.publish(step(job, (base + i) % 100)).seq());
          }
          return mine;
        }));
      }
      go.countDown();
      Set<Long> all = new HashSet<>();
      for (Future<List<Long>> f : seqs) {
        all.addAll(f.get(60, TimeUnit.SECONDS));
      }
      Set<Long> expected = new HashSet<>();
      for (long s = 1; s <= threads * each; s++) {
        expected.add(s);
      }
      assertEquals(expected, all, "every publish applied once, seqs without gap or repeat");
    } finally {
      pool.shutdownNow();
    }
    int marks = marks(job).size();
    assertTrue(marks >= 1 && marks <= threads, "one mark per stream, at most one stream per call at once: " + marks);
  }

  @Test
  void anAsyncFloodOfOneJobKeepsCallOrderAndLeavesAtMostOneMarkPerSlot() throws Exception {
    int n = 1000;
    List<CompletableFuture<ProgressEvent>> futures = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      futures.add(publisher.publishAsync(step(job, i % 100)));
    }
    for (int i = 0; i < n; i++) {
      assertEquals(i + 1, futures.get(i).get(30, TimeUnit.SECONDS).seq(), "call " + i);
    }
    int marks = marks(job).size();
    assertTrue(marks >= 1 && marks <= MarkStream.SLOTS, "at most one mark per slot of the one stream: " + marks);
  }

  @Test
  void aMarkSlotOutsideTheStreamsSlotsIsRefused() {
    MarkStream stream = new MarkStream();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> stream.field(MarkStream.SLOTS));
    assertTrue(e.getMessage().contains("outside 0.." + (MarkStream.SLOTS - 1)), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> stream.field(-1));
    assertEquals(stream.field(0), stream.field(0));
  }
}
