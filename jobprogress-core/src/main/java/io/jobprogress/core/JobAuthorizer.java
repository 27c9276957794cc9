package io.jobprogress.core;

/**
 * Decides whether a user may watch a job. The host implements it from its own data (for example its jobs
 * table); {@link #byStoredOwner(SnapshotStore)} is the default.
 *
 * <p>Independent of any authorizer, delivery only ever sends an event to connections of the event's own
 * {@code userId}: an authorizer that says yes too often cannot leak another user's progress.
 * Implementations must be thread-safe; they run on the connection's inbound thread and may block briefly.
 */
@FunctionalInterface
public interface JobAuthorizer {

  /** Whether {@code userId} may subscribe to {@code jobId}. */
  boolean mayWatch(String userId, String jobId);

  /**
   * The default: a user may watch a job whose latest snapshot belongs to them. A job the store does not
   * know is refused too, so the answer reads the same whether the job exists or not; publish the job's
   * first state (queued) before clients subscribe.
   */
  static JobAuthorizer byStoredOwner(SnapshotStore store) {
    return (userId, jobId) -> store.latest(jobId).map(e -> e.userId().equals(userId)).orElse(false);
  }

  /**
   * Lets a user subscribe to any job id, known or not (delivery still filters by owner). Use when clients
   * subscribe before the first event is published and job ids are unguessable.
   */
  static JobAuthorizer allowAll() {
    return (userId, jobId) -> true;
  }
}
