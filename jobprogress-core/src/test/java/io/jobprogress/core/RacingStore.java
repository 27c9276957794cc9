package io.jobprogress.core;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link SnapshotStore} that runs a one-shot action from inside its next {@code latest} or
 * {@code history} read (after reading), the exact moment a concurrent worker could publish while the hub
 * reads; counts {@code latest} reads. Delegates everything else. Thread-safe.
 */
final class RacingStore implements SnapshotStore {
  final SnapshotStore backing;
  final AtomicReference<Runnable> duringNextLatest = new AtomicReference<>();
  final AtomicReference<Runnable> duringNextHistory = new AtomicReference<>();
  final java.util.concurrent.atomic.AtomicInteger latestReads = new java.util.concurrent.atomic.AtomicInteger();

  RacingStore(SnapshotStore backing) {
    this.backing = backing;
  }

  @Override
  public ProgressEvent append(ProgressEvent event) {
    return backing.append(event);
  }

  @Override
  public Optional<ProgressEvent> latest(String jobId) {
    Optional<ProgressEvent> read = backing.latest(jobId);
    latestReads.incrementAndGet();
    run(duringNextLatest);
    return read;
  }

  @Override
  public List<ProgressEvent> history(String jobId, long afterSeq) {
    List<ProgressEvent> read = backing.history(jobId, afterSeq);
    run(duringNextHistory);
    return read;
  }

  @Override
  public List<ProgressEvent> recentJobsOf(String userId, Instant since, int limit) {
    return backing.recentJobsOf(userId, since, limit);
  }

  private static void run(AtomicReference<Runnable> hook) {
    Runnable r = hook.getAndSet(null);
    if (r != null) {
      r.run();
    }
  }
}
