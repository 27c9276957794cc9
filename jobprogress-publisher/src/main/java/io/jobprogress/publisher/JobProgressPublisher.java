package io.jobprogress.publisher;

import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.JobStatus;
import io.jobprogress.core.ProgressEvent;
import io.jobprogress.redis.RedisSettings;
import java.util.concurrent.CompletableFuture;

/**
 * What worker code calls to report progress:
 * {@code publishJobProgress(jobId, userId, status, progress, stage, message)}.
 *
 * <p>Two kinds: {@link #inProcess(JobProgressHub)} feeds a hub in the same JVM (the zero-config default,
 * no Redis), and the Redis publisher ({@link RedisJobProgressPublisher}, built by {@link #redis(String)} or
 * {@link #fromEnvironment()}) reaches every server instance through Redis. The Redis publisher needs
 * {@code io.jobprogress:jobprogress-redis}, an optional dependency of this module that a worker using it
 * declares; without it {@link #redis(String)} and {@link #fromEnvironment()} throw
 * {@link IllegalStateException} naming the artifact.
 *
 * <p>Every method validates its arguments before anything is sent and throws
 * {@link IllegalArgumentException} naming the bad field. Implementations are thread-safe; close once
 * when the worker shuts down.
 */
public interface JobProgressPublisher extends AutoCloseable {

  /**
   * Publishes one update and waits until it is stored and broadcast. The call to use from a job's own
   * thread that reports now and then: the round trip is made by the calling thread, with no hand-off
   * (see {@link #publishAsync}).
   *
   * @return the event as stored, with its seq
   * @throws IllegalArgumentException for an invalid field
   * @throws IllegalStateException when the job already reached a terminal state, or the publisher is closed
   */
  ProgressEvent publish(ProgressEvent event);

  /**
   * Like {@link #publish} without blocking the caller; the future fails with the same exceptions. For a
   * thread that must not wait or that publishes many updates at once: the Redis publisher hands the call to
   * one sender thread that sends what is queued as one pipeline, in call order, which costs Redis and the
   * worker about half the CPU per update of one round trip each, but an update after an idle spell waits
   * for that thread to wake (docs/scaling.md, "What one publish does").
   */
  CompletableFuture<ProgressEvent> publishAsync(ProgressEvent event);

  /** The one-call form: builds the event (timestamp now) and publishes it. */
  default ProgressEvent publishJobProgress(
      String jobId, String userId, JobStatus status, int progress, String stage, String message) {
    return publish(ProgressEvent.of(jobId, userId, status, progress, stage, message));
  }

  /** The one-call form with the status as its wire name ({@code "processing"}). */
  default ProgressEvent publishJobProgress(
      String jobId, String userId, String status, int progress, String stage, String message) {
    return publishJobProgress(jobId, userId, JobStatus.fromWire(status), progress, stage, message);
  }

  /** A helper bound to one job, for worker code: {@code job(id, user).stage("inference", 45, "...")}. */
  default JobHandle job(String jobId, String userId) {
    return new JobHandle(this, jobId, userId);
  }

  /** A publisher that hands events straight to {@code hub} in this JVM. */
  static JobProgressPublisher inProcess(JobProgressHub hub) {
    return new InProcessPublisher(hub);
  }

  /**
   * A publisher to the Redis at {@code url} ({@code redis://} or {@code rediss://}) with default
   * {@link RedisSettings}; connects lazily.
   *
   * @throws IllegalArgumentException for a bad URL (the message never contains the password)
   * @throws IllegalStateException when jobprogress-redis or Jedis is not on the class path
   */
  static JobProgressPublisher redis(String url) {
    RedisClassPath.require(JobProgressPublisher.class.getClassLoader());
    return new RedisJobProgressPublisher(RedisSettings.builder(url).build());
  }

  /**
   * A Redis publisher configured from the environment ({@code REDIS_URL} and the other variables of
   * {@link RedisSettings#fromEnvironment()}).
   *
   * @throws IllegalArgumentException when {@code REDIS_URL} is missing or invalid
   * @throws IllegalStateException when jobprogress-redis or Jedis is not on the class path
   */
  static JobProgressPublisher fromEnvironment() {
    RedisClassPath.require(JobProgressPublisher.class.getClassLoader());
    return new RedisJobProgressPublisher(RedisSettings.fromEnvironment());
  }

  /** Releases connections. Idempotent. */
  @Override
  void close();
}
