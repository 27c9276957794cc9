package io.jobprogress.publisher;

import io.jobprogress.core.ProgressEvent;
import io.jobprogress.redis.RedisSettings;
import io.jobprogress.redis.RedisPublisher;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes worker progress through Redis with a {@link RedisPublisher}: each {@link #publish} is one round
 * trip running the publish script (next seq, snapshot, history, PUBLISH on {@code job:{jobId}}), so every
 * server instance with a subscriber for the job delivers it and late subscribers see the snapshot. No
 * subscriber connection is opened. A Redis restart or failover is ridden out: publishing keeps trying for
 * {@link RedisSettings#publishRetryWindow()} (default 30 s, {@code REDIS_PUBLISH_RETRY_WINDOW_MS}), and a
 * retried update is applied at most once; see {@link RedisPublisher} for the async buffer's policy.
 *
 * <p><b>Lifecycle.</b> Create once per worker process ({@link JobProgressPublisher#redis(String)},
 * {@link JobProgressPublisher#fromEnvironment()} or a constructor), share it, {@link #close()} at shutdown.
 * <b>Threads.</b> Thread-safe; connections are pooled ({@link RedisSettings#poolSize()}).
 * {@link #publish} blocks for one round trip (up to the retry window while Redis is away);
 * {@link #publishAsync} returns at once (unless a terminal update meets a full buffer): one sender thread
 * pipelines whatever is queued (call order kept), so many async publishes share round trips.
 * <b>Errors.</b> {@link IllegalArgumentException} for invalid input (before anything is sent),
 * {@link io.jobprogress.core.SnapshotStore.StaleEventException} after a terminal state,
 * {@link IllegalStateException} when closed, {@link io.jobprogress.redis.RedisException} when Redis stayed
 * away for the whole window (the message names the job and the lost update),
 * {@link io.jobprogress.redis.PublishSupersededException} for an async update replaced by a newer one of
 * its job while the buffer was full.
 */
public final class RedisJobProgressPublisher implements JobProgressPublisher {
  private final RedisPublisher redis;
  private volatile boolean closed;

  /** A publisher with {@code settings}; connects lazily. */
  public RedisJobProgressPublisher(RedisSettings settings) {
    this.redis = new RedisPublisher(Objects.requireNonNull(settings, "settings"));
  }

  @Override
  public ProgressEvent publish(ProgressEvent event) {
    if (event == null) {
      throw new IllegalArgumentException("publisher: event must not be null");
    }
    if (closed) {
      throw new IllegalStateException("publisher: closed");
    }
    return redis.publish(event);
  }

  /** Queued and sent in pipelined batches; see {@link RedisPublisher#publishAsync}. */
  @Override
  public CompletableFuture<ProgressEvent> publishAsync(ProgressEvent event) {
    if (event == null) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("publisher: event must not be null"));
    }
    if (closed) {
      return CompletableFuture.failedFuture(new IllegalStateException("publisher: closed"));
    }
    return redis.publishAsync(event);
  }

  /** Sends what is queued (waiting up to 5 s), then releases the connections. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    redis.close();
  }
}
