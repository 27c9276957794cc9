package io.jobprogress.core;

/**
 * Carries published progress events to every hub (server instance) that may have a subscriber for them.
 *
 * <p><b>What reaches whom.</b> {@link #publish} stores the event through the broadcaster's
 * {@link SnapshotStore} (which assigns the job's next {@code seq}) and hands the stored event to the
 * {@link Listener} of every started broadcaster sharing the transport, this one included. A broadcaster
 * may skip instances that declared no interest in the job or user (see {@link #interest}); the hub filters
 * by user and subscription afterwards, so delivering more is safe, delivering less is a bug.
 *
 * <p><b>Guarantee.</b> At most once per instance; events of one job published from one thread arrive in
 * publish order. After a transport outage the broadcaster re-delivers the stored latest event of every job
 * of interest, so a final state is not lost, only intermediate ones.
 *
 * <p><b>Threads.</b> The listener is called from the broadcaster's own delivery thread (or, in memory,
 * the publishing thread) and must not block. {@link #publish} may block for one round trip to the
 * transport. {@link #interest} never blocks. All methods are thread-safe.
 */
public interface Broadcaster extends AutoCloseable {

  /** Receives the events of this instance. */
  @FunctionalInterface
  interface Listener {
    /** One stored event (seq assigned). Must not block. */
    void onEvent(ProgressEvent event);
  }

  /** What an interest hint is about. */
  enum Scope { JOB, USER }

  /** Starts delivering to {@code listener}. Called once, before any publish. */
  void start(Listener listener);

  /**
   * Stores and broadcasts {@code event}, returning it with its assigned seq and epoch.
   *
   * @throws IllegalStateException when the event is rejected as stale (a terminal state already stored)
   *     or the broadcaster is closed; transport failures surface as unchecked exceptions
   */
  ProgressEvent publish(ProgressEvent event);

  /**
   * Tells the broadcaster that this instance now has (or no longer has) a subscriber for a job, or a
   * connection of a user. Called by the hub on the first and last one. Default: ignored.
   */
  default void interest(Scope scope, String id, boolean interested) {}

  /** The store this broadcaster writes to; the hub reads snapshots from it. */
  SnapshotStore store();

  /** Health and counters for the stats endpoint, e.g. {@code {"type":"redis","connected":true}}. */
  java.util.Map<String, Object> stats();

  /** Stops delivering and releases resources. Idempotent. */
  @Override
  void close();
}
