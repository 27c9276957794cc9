package io.jobprogress.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobprogress.core.JobStatus;
import io.jobprogress.core.ProgressEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * {@link DeliveryGate}: which events reach the listener for tracked and untracked jobs, that untracking a job
 * drops what passed for it, and that concurrent deliveries and tracking changes keep each tracked job's
 * deliveries strictly ordered.
 */
class DeliveryGateTest {
  private final List<String> passed = new ArrayList<>(); // written by the listener, under the gate's lock
  private final DeliveryGate gate = new DeliveryGate();

  DeliveryGateTest() {
    gate.listener(e -> passed.add(e.jobId() + " " + e.epoch() + " " + e.seq()));
  }

  private static ProgressEvent event(String job, String epoch, long seq) {
    return new ProgressEvent(job, "u1", JobStatus.PROCESSING, 1, "", "", Instant.EPOCH, seq, epoch);
  }

  @Test
  void aTrackedJobPassesOnlyWhatIsNewerInItsEpochAndAnyNewEpoch() {
    assertTrue(gate.track("j"));
    gate.deliver(event("j", "e1", 3));
    gate.deliver(event("j", "e1", 3)); // duplicate
    gate.deliver(event("j", "e1", 2)); // older
    gate.deliver(event("j", "e1", 4));
    gate.deliver(event("j", "e2", 1)); // a new epoch starts over
    gate.deliver(event("j", "e2", 1));
    assertEquals(List.of("j e1 3", "j e1 4", "j e2 1"), passed);
    assertEquals(3, gate.duplicates());
  }

  @Test
  void anUntrackedJobsEventsAllPassAndLeaveNothingBehind() {
    gate.deliver(event("x", "e1", 5));
    gate.deliver(event("x", "e1", 5));
    gate.deliver(event("x", "e1", 4));
    assertEquals(List.of("x e1 5", "x e1 5", "x e1 4"), passed);
    assertEquals(0, gate.duplicates());
    assertTrue(gate.trackedJobs().isEmpty(), "delivering does not start tracking");
  }

  @Test
  void untrackingDropsWhatPassedSoATrackedAgainJobStartsFresh() {
    gate.track("j");
    gate.deliver(event("j", "e1", 9));
    assertTrue(gate.untrack("j"));
    assertFalse(gate.untrack("j"), "untracking twice changes nothing");
    assertTrue(gate.track("j"));
    assertFalse(gate.track("j"), "tracking twice changes nothing");
    gate.deliver(event("j", "e1", 2)); // older than what passed before untracking: passes, the state was dropped
    gate.deliver(event("j", "e1", 2));
    assertEquals(List.of("j e1 9", "j e1 2"), passed);
    assertEquals(Set.of("j"), gate.trackedJobs());
  }

  @Test
  void unsequencedEventsAlwaysPass() {
    gate.track("j");
    gate.deliver(event("j", "e1", 4));
    gate.deliver(event("j", null, 0));
    gate.deliver(event("j", null, 0));
    assertEquals(List.of("j e1 4", "j null 0", "j null 0"), passed);
  }

  @Test
  void concurrentDeliveriesAndTrackingChangesKeepEachTrackedJobsDeliveriesOrdered() throws Exception {
    // two deliverers (reader and ops threads in production) hand the same increasing seqs of job "a" in
    // overlapping order while a third thread tracks and untracks job "b" and other jobs all the time
    ConcurrentLinkedQueue<Long> seenA = new ConcurrentLinkedQueue<>();
    DeliveryGate g = new DeliveryGate();
    g.listener(e -> {
      if (e.jobId().equals("a")) {
        seenA.add(e.seq());
      }
    });
    g.track("a");
    int n = 20_000;
    CountDownLatch start = new CountDownLatch(1);
    AtomicBoolean done = new AtomicBoolean();
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    Runnable deliverer = () -> {
      try {
        start.await();
        for (int i = 1; i <= n; i++) {
          g.deliver(event("a", "e1", i));
          g.deliver(event("b", "e1", i));
        }
      } catch (Throwable t) {
        failures.add(t);
      }
    };
    Thread d1 = new Thread(deliverer);
    Thread d2 = new Thread(deliverer);
    Thread churn = new Thread(() -> {
      try {
        start.await();
        for (int i = 0; !done.get(); i++) {
          g.track("b");
          g.track("c" + (i % 100));
          g.untrack("b");
          g.untrack("c" + ((i + 50) % 100));
        }
      } catch (Throwable t) {
        failures.add(t);
      }
    });
    d1.start();
    d2.start();
    churn.start();
    start.countDown();
    d1.join();
    d2.join();
    done.set(true);
    churn.join();
    assertTrue(failures.isEmpty(), () -> "no thread failed: " + failures);
    long last = 0;
    for (long seq : seenA) {
      assertTrue(seq > last, "job a's deliveries strictly increase: " + seq + " after " + last);
      last = seq;
    }
    assertEquals(n, last, "the last seq of job a passed");
    // both deliverers handed all n events of a: those that did not pass were counted as duplicates (with
    // whatever of b's was dropped while b was tracked)
    assertTrue(g.duplicates() >= 2L * n - seenA.size(), "every event of a that did not pass was counted");
  }
}
