package io.jobprogress.publisher;

import io.jobprogress.core.ProgressEvent;
import io.jobprogress.redis.RedisSettings;
import io.jobprogress.redis.RedisSnapshotStore;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Publishes worker progress through Redis: each {@link #publish} is one round trip running the publish
 * script of {@link RedisSnapshotStore#append} (next seq, snapshot, history, PUBLISH on {@code job:{jobId}}),
 * so every server instance with a subscriber for the job delivers it and late subscribers see the
 * snapshot. No subscriber connection is opened.
 *
 * <p><b>Lifecycle.</b> Create once per worker process ({@link JobProgressPublisher#redis(String)},
 * {@link JobProgressPublisher#fromEnvironment()} or a constructor), share it, {@link #close()} at shutdown.
 * <b>Threads.</b> Thread-safe; connections are pooled ({@link RedisSettings#poolSize()}).
 * {@link #publish} blocks for one round trip; {@link #publishAsync} runs on a small pool of daemon threads.
 * <b>Errors.</b> {@link IllegalArgumentException} for invalid input (before anything is sent),
 * {@link io.jobprogress.core.SnapshotStore.StaleEventException} after a terminal state,
 * {@link IllegalStateException} when closed, {@link io.jobprogress.redis.RedisException} when Redis fails.
 */
public final class RedisJobProgressPublisher implements JobProgressPublisher {
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final RedisSnapshotStore store;
  private final ExecutorService async;
  private volatile boolean closed;

  /** A publisher with {@code settings} and 4 threads for {@link #publishAsync}. */
  public RedisJobProgressPublisher(RedisSettings settings) {
    this(settings, 4);
  }

  /** A publisher with {@code settings} and {@code asyncThreads} threads for {@link #publishAsync}. */
  public RedisJobProgressPublisher(RedisSettings settings, int asyncThreads) {
    Objects.requireNonNull(settings, "settings");
    if (asyncThreads < 1) {
      throw new IllegalArgumentException("publisher: asyncThreads must be >= 1, was " + asyncThreads);
    }
    this.store = new RedisSnapshotStore(settings);
    this.async = new ThreadPoolExecutor(asyncThreads, asyncThreads, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "jobprogress-publisher-" + THREADS.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    ((ThreadPoolExecutor) async).allowCoreThreadTimeOut(true);
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

  @Override
  public CompletableFuture<ProgressEvent> publishAsync(ProgressEvent event) {
    if (event == null) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("publisher: event must not be null"));
    }
    if (closed) {
      return CompletableFuture.failedFuture(new IllegalStateException("publisher: closed"));
    }
    try {
      return CompletableFuture.supplyAsync(() -> store.append(event), async);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new IllegalStateException("publisher: closed"));
    }
  }

  /** Waits up to 5 s for pending async publishes, then releases the connections. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    async.shutdown();
    try {
      async.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    store.close();
  }
}
