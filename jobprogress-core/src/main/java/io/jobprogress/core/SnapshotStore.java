package io.jobprogress.core;

import java.util.List;
import java.util.Optional;

/**
 * Keeps the latest event of each job (its snapshot) and a short history, and assigns per-job sequence
 * numbers.
 *
 * <p><b>Ordering rules.</b> {@link #append} assigns {@code seq = previous + 1} and an epoch that stays the
 * same as long as the store keeps the job. A terminal snapshot is never replaced by a non-terminal event
 * (such an append is rejected with {@link StaleEventException}); the snapshot never goes back to an older seq.
 *
 * <p>Thread-safe. Implementations may block for one round trip to their backing store.
 */
public interface SnapshotStore {

  /** Thrown by {@link #append} for an event that may not overwrite the stored state. */
  final class StaleEventException extends IllegalStateException {
    /** @param message names the job and the reason */
    public StaleEventException(String message) {
      super(message);
    }
  }

  /** Stores {@code event} as the job's snapshot, appends it to history, returns it with seq and epoch. */
  ProgressEvent append(ProgressEvent event);

  /** The job's latest event, if the store has one. */
  Optional<ProgressEvent> latest(String jobId);

  /** The job's stored events with a seq greater than {@code afterSeq}, oldest first (bounded history). */
  List<ProgressEvent> history(String jobId, long afterSeq);

  /**
   * The latest event of each job of {@code userId} whose last update is at or after {@code since}, newest
   * update first, at most {@code limit} of them: what {@code {"type":"sync"}} answers. Only that user's
   * jobs; a job the store has forgotten (expired) is not listed.
   *
   * @param limit at most this many events, at least 1
   */
  List<ProgressEvent> recentJobsOf(String userId, java.time.Instant since, int limit);
}
