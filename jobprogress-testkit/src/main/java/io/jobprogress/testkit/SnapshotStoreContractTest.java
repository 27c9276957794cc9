package io.jobprogress.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobprogress.core.JobStatus;
import io.jobprogress.core.ProgressEvent;
import io.jobprogress.core.SnapshotStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link SnapshotStore} must show: the compatibility suite a store runs to prove it
 * keeps the contract written on {@link SnapshotStore} (seq and epoch assignment, terminal states never
 * overwritten, bounded history, per-user recent jobs, concurrent appends).
 *
 * <p><b>How to run it against your store.</b> Put {@code io.jobprogress:jobprogress-testkit} on your test
 * classpath (with the JUnit Jupiter engine), extend this class and return a store:
 * <pre>{@code
 * class MySnapshotStoreContractTest extends SnapshotStoreContractTest {
 *   protected SnapshotStore newStore() { return new MySnapshotStore(backendUrl); }
 * }
 * }</pre>
 * The suite only calls the {@link SnapshotStore} interface. Close what {@link #newStore()} opened in
 * your own {@code @AfterEach}.
 */
public abstract class SnapshotStoreContractTest {

  /** A store to test (may share a backend with earlier tests: job ids are unique). */
  protected abstract SnapshotStore newStore();

  private String job(String name) {
    return name + "-" + System.nanoTime();
  }

  @Test
  void recentJobsOfListsOnlyTheUsersOwnJobsNewestUpdateFirstWithinLimitAndSince() {
    SnapshotStore s = newStore();
    String user = job("sync-user");
    String other = job("sync-other");
    Instant base = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
    List<String> jobs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String j = job("sync-" + i);
      jobs.add(j);
      s.append(new ProgressEvent(j, user, JobStatus.PROCESSING, 10 * i, "p", "", base.plusSeconds(i), 0, null));
    }
    String theirs = job("sync-theirs");
    s.append(new ProgressEvent(theirs, other, JobStatus.PROCESSING, 5, "p", "", base.plusSeconds(10), 0, null));
    // job 0 finishes last: it becomes the newest, listed once, with its final state
    s.append(new ProgressEvent(jobs.get(0), user, JobStatus.COMPLETED, 100, "done", "", base.plusSeconds(20), 0, null));

    List<ProgressEvent> all = s.recentJobsOf(user, base.minusSeconds(3600), 10);
    assertEquals(List.of(jobs.get(0), jobs.get(4), jobs.get(3), jobs.get(2), jobs.get(1)),
        all.stream().map(ProgressEvent::jobId).toList());
    assertEquals(JobStatus.COMPLETED, all.get(0).status());
    assertEquals(2, all.get(0).seq());
    assertEquals(List.of(jobs.get(0), jobs.get(4)),
        s.recentJobsOf(user, base.minusSeconds(3600), 2).stream().map(ProgressEvent::jobId).toList());
    assertEquals(List.of(), s.recentJobsOf(user, Instant.now().plusSeconds(3600), 10));
    assertEquals(List.of(theirs),
        s.recentJobsOf(other, base.minusSeconds(3600), 10).stream().map(ProgressEvent::jobId).toList());
    assertEquals(List.of(), s.recentJobsOf(job("nobody"), base.minusSeconds(3600), 10));
    assertThrows(IllegalArgumentException.class, () -> s.recentJobsOf(user, base, 0));
  }

  @Test
  void unknownJobHasNoSnapshotAndNoHistory() {
    SnapshotStore s = newStore();
    assertTrue(s.latest(job("none")).isEmpty());
    assertTrue(s.history(job("none"), 0).isEmpty());
  }

  @Test
  void appendAssignsSeqAndKeepsTheLatest() {
    SnapshotStore s = newStore();
    String j = job("a");
    ProgressEvent one = s.append(ProgressEvent.queued(j, "u1"));
    ProgressEvent two = s.append(ProgressEvent.of(j, "u1", JobStatus.PROCESSING, 40, "p", "m"));
    assertEquals(1, one.seq());
    assertEquals(2, two.seq());
    assertEquals(one.epoch(), two.epoch());
    assertEquals(two, s.latest(j).orElseThrow());
  }

  @Test
  void historyReturnsEventsAfterTheGivenSeqOldestFirst() {
    SnapshotStore s = newStore();
    String j = job("h");
    for (int i = 0; i < 5; i++) {
      s.append(ProgressEvent.of(j, "u1", JobStatus.PROCESSING, i * 10, "p", ""));
    }
    List<ProgressEvent> after2 = s.history(j, 2);
    assertEquals(List.of(3L, 4L, 5L), after2.stream().map(ProgressEvent::seq).toList());
  }

  @Test
  void terminalSnapshotRefusesALateNonTerminalUpdate() {
    SnapshotStore s = newStore();
    String j = job("t");
    s.append(ProgressEvent.failed(j, "u1", 30, "boom"));
    assertThrows(SnapshotStore.StaleEventException.class,
        () -> s.append(ProgressEvent.of(j, "u1", JobStatus.PROCESSING, 40, "p", "")));
    assertEquals(JobStatus.FAILED, s.latest(j).orElseThrow().status());
    assertEquals(JobStatus.COMPLETED, s.append(ProgressEvent.completed(j, "u1", "retry ok")).status());
  }

  @Test
  void concurrentAppendsGetDistinctSeqsAndTheSnapshotHoldsTheHighest() throws Exception {
    SnapshotStore s = newStore();
    String j = job("c");
    int threads = 8;
    int each = 50;
    ConcurrentLinkedQueue<Long> seqs = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    for (int t = 0; t < threads; t++) {
      pool.submit(() -> {
        go.await();
        for (int i = 0; i < each; i++) {
          seqs.add(s.append(ProgressEvent.of(j, "u1", JobStatus.PROCESSING, i % 100, "p", "")).seq());
        }
        return null;
      });
    }
    go.countDown();
    pool.shutdown();
    assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
    List<Long> sorted = new ArrayList<>(seqs);
    sorted.sort(null);
    assertEquals(threads * each, sorted.size());
    for (int i = 0; i < sorted.size(); i++) {
      assertEquals(i + 1, sorted.get(i));
    }
    assertEquals(threads * each, s.latest(j).orElseThrow().seq());
  }
}
