package io.jobprogress.redis;

import io.jobprogress.core.ProgressEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The sender behind {@link RedisSnapshotStore#appendAsync}: one thread ({@code jobprogress-redis-send})
 * takes what is queued, up to {@link #MAX_BATCH} calls, and sends them as one pipeline of EVALSHAs. Under
 * light load a batch is one call (no added latency); under load batches grow and round trips are shared.
 * Calls are sent in queue order, so one job's events keep their order and seqs.
 *
 * <p>NOSCRIPT replies (script cache flushed) are re-run one by one in order with the EVAL fallback. A
 * broken connection is retried once for the whole batch (in order), then fails it with
 * {@link RedisException}. Thread-safe.
 */
final class PipelinedAppender {
  static final int MAX_BATCH = 128;
  private static final Logger log = LoggerFactory.getLogger(PipelinedAppender.class);

  private record Pending(RedisSnapshotStore.Call call, CompletableFuture<ProgressEvent> future) {}

  private final RedisSnapshotStore store;
  private final RedisClient client;
  private final PublishScript script;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread sender;
  private volatile boolean closed;

  PipelinedAppender(RedisSnapshotStore store, RedisClient client, PublishScript script) {
    this.store = store;
    this.client = client;
    this.script = script;
    this.sender = new Thread(this::loop, "jobprogress-redis-send");
    sender.setDaemon(true);
    sender.start();
  }

  CompletableFuture<ProgressEvent> submit(RedisSnapshotStore.Call call) {
    CompletableFuture<ProgressEvent> f = new CompletableFuture<>();
    synchronized (this) {
      if (!closed) {
        queue.add(new Pending(call, f));
        return f;
      }
    }
    f.completeExceptionally(new IllegalStateException("redis: snapshot store is closed"));
    return f;
  }

  private void loop() {
    List<Pending> batch = new ArrayList<>(MAX_BATCH);
    while (true) {
      try {
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (closed) {
            return;
          }
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        send(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.warn("redis: async publish batch failed", e);
        batch.forEach(p -> p.future().completeExceptionally(e));
      } finally {
        batch.clear();
      }
    }
  }

  private void send(List<Pending> batch) {
    List<Response<Object>> replies;
    try {
      replies = pipeline(batch);
    } catch (JedisConnectionException first) {
      // As in RedisSnapshotStore.append: a dead pooled connection after a restart; retry once, in order.
      store.dropIdleConnectionsOn(first);
      try {
        replies = pipeline(batch);
      } catch (JedisException e) {
        fail(batch, e);
        return;
      }
    } catch (JedisException e) {
      fail(batch, e);
      return;
    }
    List<Pending> noScript = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      Pending pending = batch.get(i);
      try {
        complete(pending, (List<?>) replies.get(i).get());
      } catch (JedisDataException e) {
        if (e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT")) {
          noScript.add(pending);
        } else {
          pending.future().completeExceptionally(store.failure(pending.call().event(), e));
        }
      }
    }
    for (Pending pending : noScript) {
      try {
        complete(pending, script.run(client, pending.call().keys(), pending.call().args()));
      } catch (JedisException e) {
        pending.future().completeExceptionally(store.failure(pending.call().event(), e));
      }
    }
  }

  private List<Response<Object>> pipeline(List<Pending> batch) {
    List<Response<Object>> replies = new ArrayList<>(batch.size());
    try (Pipeline p = client.pipelined()) {
      for (Pending pending : batch) {
        replies.add(p.evalsha(script.sha(), pending.call().keys(), pending.call().args()));
      }
      p.sync();
    }
    return replies;
  }

  private void fail(List<Pending> batch, JedisException e) {
    for (Pending pending : batch) {
      pending.future().completeExceptionally(store.failure(pending.call().event(), e));
    }
  }

  private void complete(Pending pending, List<?> reply) {
    try {
      pending.future().complete(store.result(pending.call().event(), reply));
    } catch (RuntimeException e) {
      pending.future().completeExceptionally(e);
    }
  }

  /** Stops taking calls and waits up to 5 s for the queued ones to be sent. */
  void close() {
    synchronized (this) {
      closed = true;
    }
    try {
      sender.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Pending left;
    while ((left = queue.poll()) != null) {
      left.future().completeExceptionally(new IllegalStateException("redis: snapshot store is closed"));
    }
  }
}
