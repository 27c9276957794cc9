package io.jobprogress.publisher;

import io.jobprogress.core.Ids;
import io.jobprogress.core.JobStatus;
import io.jobprogress.core.ProgressEvent;
import java.util.Objects;

/**
 * One job's progress from a worker's point of view:
 * {@code handle.queued(); handle.stage("inference", 45, "Running model inference..."); handle.complete();}.
 *
 * <p>Keeps the last progress so {@link #fail} reports where the job stopped. Each call publishes
 * synchronously through the publisher, so it rides out a Redis outage up to the publisher's retry window
 * (the call then simply takes longer) and throws only when that window passed
 * ({@link io.jobprogress.redis.RedisException}, naming the lost update) or the job is already terminal
 * ({@link io.jobprogress.core.SnapshotStore.StaleEventException}). A worker should catch the former for
 * intermediate steps and go on: the next step carries the newer state. Thread-safe.
 */
public final class JobHandle {
  private final JobProgressPublisher publisher;
  private final String jobId;
  private final String userId;
  private volatile int lastProgress;

  JobHandle(JobProgressPublisher publisher, String jobId, String userId) {
    this.publisher = Objects.requireNonNull(publisher, "publisher");
    this.jobId = Ids.require("jobId", jobId);
    this.userId = Ids.require("userId", userId);
  }

  /** The job id. */
  public String jobId() {
    return jobId;
  }

  /** Publishes {@code queued} at 0 %. */
  public ProgressEvent queued() {
    return send(JobStatus.QUEUED, 0, "queued", "Job queued");
  }

  /** Publishes {@code processing} at {@code progress} in {@code stage} with {@code message}. */
  public ProgressEvent stage(String stage, int progress, String message) {
    return send(JobStatus.PROCESSING, progress, stage, message);
  }

  /** Publishes {@code completed} at 100 %. */
  public ProgressEvent complete() {
    return complete("Job completed");
  }

  /** Publishes {@code completed} at 100 % with a message. */
  public ProgressEvent complete(String message) {
    return send(JobStatus.COMPLETED, 100, "completed", message);
  }

  /** Publishes {@code failed} at the last progress with the reason as message. */
  public ProgressEvent fail(String reason) {
    return send(JobStatus.FAILED, lastProgress, "failed", reason);
  }

  /** Publishes {@code cancelled} at the last progress. */
  public ProgressEvent cancel(String reason) {
    return send(JobStatus.CANCELLED, lastProgress, "cancelled", reason);
  }

  private ProgressEvent send(JobStatus status, int progress, String stage, String message) {
    ProgressEvent e = publisher.publish(ProgressEvent.of(jobId, userId, status, progress, stage, message));
    lastProgress = progress;
    return e;
  }
}
