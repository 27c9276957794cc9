package io.jobprogress.publisher;

import io.jobprogress.core.ProgressEvent;
import io.jobprogress.redis.RedisSettings;
import io.jobprogress.redis.RedisSnapshotStore;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes worker progress through Redis: each {@link #publish} is one round trip running the publish
 * script of {@link RedisSnapshotStore#append} (next seq, snapshot, history, PUBLISH on {@code job:{jobId}}),
 * so every server instance with a subscriber for the job delivers it and late subscribers see the
 * snapshot. No subscriber connection is opened.
 *
 * <p><b>Lifecycle.</b> Create once per worker process ({@link JobProgressPublisher#redis(String)},
 * {@link JobProgressPublisher#fromEnvironment()} or a constructor), share it, {@link #close()} at shutdown.
 * <b>Threads.</b> Thread-safe; connections are pooled ({@link RedisSettings#poolSize()}).
 * {@link #publish} blocks for one round trip; {@link #publishAsync} never blocks: one sender thread
 * pipelines whatever is queued (call order kept), so many async publishes share round trips.
 * <b>Errors.</b> {@link IllegalArgumentException} for invalid input (before anything is sent),
 * {@link io.jobprogress.core.SnapshotStore.StaleEventException} after a terminal state,
 * {@link IllegalStateException} when closed, {@link io.jobprogress.redis.RedisException} when Redis fails.
 */
public final class RedisJobProgressPublisher implements JobProgressPublisher {
  private final RedisSnapshotStore store;
  private volatile boolean closed;

  /** A publisher with {@code settings}; connects lazily. */
  public RedisJobProgressPublisher(RedisSettings settings) {
    this.store = new RedisSnapshotStore(Objects.requireNonNull(settings, "settings"));
  }

  @Override
  public ProgressEvent publish(ProgressEvent event) {
    if (event == null) {
      throw new IllegalArgumentException("publisher: event must not be null");
    }
    if (closed) {
      throw new IllegalStateException("publisher: closed");
    }
    return store.append(event);
  }

  /** Queued and sent in pipelined batches; see {@link RedisSnapshotStore#appendAsync}. */
  @Override
  public CompletableFuture<ProgressEvent> publishAsync(ProgressEvent event) {
    if (event == null) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("publisher: event must not be null"));
    }
    if (closed) {
      return CompletableFuture.failedFuture(new IllegalStateException("publisher: closed"));
    }
    return store.appendAsync(event);
  }

  /** Sends what is queued (waiting up to 5 s), then releases the connections. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    store.close();
  }
}
