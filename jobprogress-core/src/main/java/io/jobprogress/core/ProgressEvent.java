package io.jobprogress.core;

import java.time.Instant;
import java.util.Objects;

/**
 * One progress update of one job, as a worker publishes it and a browser receives it.
 *
 * <p>Validated at construction; every error names the field and the value ({@code "progress must be
 * 0..100, was 140"}). {@code stage} and {@code message} are never null (null becomes {@code ""}).
 * Immutable and thread-safe.
 *
 * @param jobId the job, 1..128 characters of {@code [A-Za-z0-9._:-]}
 * @param userId the job's owner, the only user who ever receives this event; same character rules
 * @param status the job's status
 * @param progress percent done, 0..100
 * @param stage short stage name such as {@code "inference"}, at most 64 characters
 * @param message human-readable text, at most 1024 characters
 * @param timestamp when the worker produced the update
 * @param seq the job's sequence number, assigned by the {@link SnapshotStore} when published; 0 means
 *     not assigned yet. Within one {@code epoch} a higher seq is a newer update.
 * @param epoch identifies the stored history the seq belongs to; it changes when the store lost the job's
 *     history, so a seq from another epoch is not comparable. {@code null} when not assigned yet.
 */
public record ProgressEvent(
    String jobId,
    String userId,
    JobStatus status,
    int progress,
    String stage,
    String message,
    Instant timestamp,
    long seq,
    String epoch) {

  /** Longest accepted stage. */
  public static final int MAX_STAGE = 64;
  /** Longest accepted message. */
  public static final int MAX_MESSAGE = 1024;

  /** Validates every field; see the class documentation. */
  public ProgressEvent {
    Ids.require("jobId", jobId);
    Ids.require("userId", userId);
    Objects.requireNonNull(status, "status must not be null");
    if (progress < 0 || progress > 100) {
      throw new IllegalArgumentException("progress must be 0..100, was " + progress);
    }
    stage = stage == null ? "" : stage;
    message = message == null ? "" : message;
    if (stage.length() > MAX_STAGE) {
      throw new IllegalArgumentException(
          "stage must be at most " + MAX_STAGE + " characters, was " + stage.length() + ": " + Ids.quote(stage));
    }
    if (message.length() > MAX_MESSAGE) {
      throw new IllegalArgumentException(
          "message must be at most " + MAX_MESSAGE + " characters, was " + message.length());
    }
    Objects.requireNonNull(timestamp, "timestamp must not be null");
    if (seq < 0) {
      throw new IllegalArgumentException("seq must be >= 0, was " + seq);
    }
    if (epoch != null && (epoch.isEmpty() || epoch.length() > 64)) {
      throw new IllegalArgumentException("epoch must be 1..64 characters or null, was " + Ids.quote(epoch));
    }
  }

  /** An update as a worker creates it: timestamp now, seq and epoch not assigned. */
  public static ProgressEvent of(
      String jobId, String userId, JobStatus status, int progress, String stage, String message) {
    return new ProgressEvent(jobId, userId, status, progress, stage, message, Instant.now(), 0, null);
  }

  /** A {@link JobStatus#QUEUED} update at 0 %. */
  public static ProgressEvent queued(String jobId, String userId) {
    return of(jobId, userId, JobStatus.QUEUED, 0, "queued", "Job queued");
  }

  /** A {@link JobStatus#COMPLETED} update at 100 %. */
  public static ProgressEvent completed(String jobId, String userId, String message) {
    return of(jobId, userId, JobStatus.COMPLETED, 100, "completed", message);
  }

  /** A {@link JobStatus#FAILED} update keeping the given progress. */
  public static ProgressEvent failed(String jobId, String userId, int progress, String reason) {
    return of(jobId, userId, JobStatus.FAILED, progress, "failed", reason);
  }

  /** This event with the given sequence number and epoch, as the store assigns them. */
  public ProgressEvent withSequence(long newSeq, String newEpoch) {
    return new ProgressEvent(jobId, userId, status, progress, stage, message, timestamp, newSeq, newEpoch);
  }

  /** Whether this is a terminal update (completed, failed, cancelled). */
  public boolean isTerminal() {
    return status.isTerminal();
  }
}
