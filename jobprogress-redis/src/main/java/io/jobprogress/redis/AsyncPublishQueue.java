package io.jobprogress.redis;

import io.jobprogress.core.ProgressEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The bounded buffer and sender behind {@link RedisPublisher#publishAsync}; the policy is documented
 * there. One thread ({@code jobprogress-redis-send}) takes queued calls ({@link #batchSize} of them at
 * most) and sends them as one pipeline of EVALSHAs, in queue order. Under light load a batch is one call;
 * under load batches grow and share round trips. While Redis is away the batch is retried whole (same
 * marks, so nothing is applied twice) until it is stored; a call whose retry window passed fails on the way.
 *
 * <p><b>Marks.</b> The queue is one {@link MarkStream}: the sender gives each call it takes the stream's
 * next counter and, as slot, the call's position among the batch's calls of the same job; a batch holds at
 * most {@link MarkStream#SLOTS} calls of one job (it ends before the call that would need another slot), and
 * the next batch is taken only once this one is settled, which is the promise {@link PublishScript}'s marks
 * rest on.
 *
 * <p>On a Redis Cluster the calls of a batch go one after the other (their keys span slots and nodes), each
 * followed by its user index update ({@link RedisPublisher#indexUser}); a repeated batch is harmless there
 * too, since both steps are idempotent per mark.
 *
 * <p>NOSCRIPT replies (script cache flushed) are re-run one by one in order with the EVAL fallback.
 * Thread-safe: {@code queue} and {@code inFlight} are guarded by {@code this}; the sender owns the batch,
 * the mark stream and the marks.
 *
 * <p><b>Threads.</b> {@code jobprogress-redis-send} starts with the queue (the first
 * {@link RedisPublisher#publishAsync}) and blocks on Redis: one pipelined round trip per batch, and during an
 * outage sleeps between retries (backoff up to 1 s) for up to the retry window. Callers of {@link #submit}
 * block only when a terminal update meets a full buffer. {@link #close} waits up to 5 s for the sender to
 * store what it holds, then interrupts it and waits up to 5 s more for it to end.
 */
final class AsyncPublishQueue {
  /** The most calls one pipeline carries, taken when the queue is deep ({@link #batchSize}). */
  static final int MAX_BATCH = 128;
  /** The most calls one pipeline carries while the queue is shallow ({@link #batchSize}). */
  static final int SHALLOW_BATCH = 16;
  /** Queued calls above which the queue is deep ({@link #batchSize}). */
  static final int DEEP_QUEUE = 32;
  private static final Logger log = LoggerFactory.getLogger(AsyncPublishQueue.class);

  private static final class Pending {
    final RedisPublisher.Call call;
    final CompletableFuture<ProgressEvent> future = new CompletableFuture<>();
    final long submittedNanos = System.nanoTime();
    final long deadlineNanos;
    /** Given by the sender when it takes the call; kept by every try. Owned by the sender thread. */
    RedisPublisher.Mark mark;

    Pending(RedisPublisher.Call call, long windowNanos) {
      this.call = call;
      this.deadlineNanos = submittedNanos + windowNanos;
    }
  }

  private final RedisPublisher publisher;
  private final int max;
  private final long windowNanos;
  /** Guarded by {@code this}. */
  private final LinkedList<Pending> queue = new LinkedList<>();
  /** Taken by the sender and not yet completed; guarded by {@code this}. */
  private int inFlight;
  /** Guarded by {@code this}. */
  private boolean closed;
  // set by close() (any thread) when the sender overstays, or by the sender when interrupted; read by the
  // sender between retries (volatile)
  private volatile boolean abandoned;
  private final Thread sender; // jobprogress-redis-send: owns the batch it took
  private final MarkStream stream = new MarkStream(); // owned by the sender thread
  private final Map<String, Integer> batchSlots = new HashMap<>(); // owned by the sender thread: job -> calls

  AsyncPublishQueue(RedisPublisher publisher, int max) {
    this.publisher = publisher;
    this.max = max;
    this.windowNanos = publisher.settings().publishRetryWindow().toNanos();
    this.sender = new Thread(this::loop, "jobprogress-redis-send");
    sender.setDaemon(true);
    sender.start();
  }

  CompletableFuture<ProgressEvent> submit(RedisPublisher.Call call) {
    Pending p = new Pending(call, windowNanos);
    Pending superseded = null;
    RuntimeException refused = null;
    synchronized (this) {
      if (closed) {
        refused = new IllegalStateException("redis: publisher is closed");
      } else if (queue.size() + inFlight < max) {
        queue.add(p);
        notifyAll();
      } else if ((superseded = replaceNewestNonTerminalOf(p)) != null) {
        notifyAll();
      } else if (!call.event().isTerminal()) {
        refused = full(call, "dropped");
      } else {
        refused = waitForRoom(p);
      }
    }
    if (superseded != null) {
      superseded.future.completeExceptionally(new PublishSupersededException("redis: update of job "
          + call.event().jobId() + " (" + RedisPublisher.describe(superseded.call.event())
          + ") superseded by a newer one (" + RedisPublisher.describe(call.event())
          + ") while the publish buffer was full (" + max + " events)"));
    }
    if (refused != null) {
      p.future.completeExceptionally(refused);
    }
    return p.future;
  }

  /** Puts {@code p} in place of its job's newest queued update if that one is not terminal. */
  private Pending replaceNewestNonTerminalOf(Pending p) {
    String job = p.call.event().jobId();
    ListIterator<Pending> it = queue.listIterator(queue.size());
    while (it.hasPrevious()) {
      Pending q = it.previous();
      if (q.call.event().jobId().equals(job)) {
        if (q.call.event().isTerminal()) {
          return null;
        }
        it.set(p);
        return q;
      }
    }
    return null;
  }

  /** A terminal update meeting a full buffer waits for room, up to the retry window. Holds the lock. */
  private RuntimeException waitForRoom(Pending p) {
    long deadline = System.nanoTime() + Math.max(windowNanos, TimeUnit.SECONDS.toNanos(1));
    try {
      while (!closed && queue.size() + inFlight >= max) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return full(p.call, "lost (a terminal update waited " + TimeUnit.NANOSECONDS.toMillis(
              System.nanoTime() - p.submittedNanos) + " ms for room)");
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return full(p.call, "lost (interrupted while waiting for room)");
    }
    if (closed) {
      return new IllegalStateException("redis: publisher is closed");
    }
    queue.add(p);
    notifyAll();
    return null;
  }

  private RedisException full(RedisPublisher.Call call, String what) {
    log.warn("redis: publish buffer full ({} events); job {} {} {}", max, call.event().jobId(),
        RedisPublisher.describe(call.event()), what);
    return new RedisException("redis: publish of job " + call.event().jobId() + " failed: the buffer is full ("
        + max + " events while Redis is slow or away), seq unknown, " + what + ": "
        + RedisPublisher.describe(call.event()), null);
  }

  // ------------------------------------------------------------------ sender thread

  /**
   * How many of {@code queued} waiting calls the next pipeline takes at most: {@link #SHALLOW_BATCH} while
   * no more than {@link #DEEP_QUEUE} wait, else {@link #MAX_BATCH}. Redis runs every command of one read
   * from a connection (up to 16 KB: ~28 publish scripts of ~570 bytes and ~20 us) and only then writes out
   * what those scripts PUBLISHed, so the first event of a long pipeline waits ~0.6 ms for the rest of its
   * read.
   * A shallow queue (the sender is keeping up, and a stall of a few ms left a short backlog) goes in
   * pipelines of 16 (~0.3 ms); a deep one means the publisher is saturated, where round trips decide
   * throughput, so it goes 128 at a time. Measured in the load benchmark at 10,000 publishes/s and with
   * {@code PublishBenchmark} at saturation (docs/benchmarks.md, "Load results on an eighth machine").
   */
  static int batchSize(int queued) {
    return queued > DEEP_QUEUE ? MAX_BATCH : SHALLOW_BATCH;
  }

  private void loop() {
    List<Pending> batch = new ArrayList<>(MAX_BATCH);
    while (true) {
      synchronized (this) {
        while (queue.isEmpty() && !closed) {
          try {
            wait(100);
          } catch (InterruptedException e) {
            abandoned = true;
          }
          if (abandoned) {
            break;
          }
        }
        if (queue.isEmpty() || abandoned) {
          return;
        }
        take(batch, batchSize(queue.size()));
        inFlight = batch.size();
      }
      try {
        send(batch);
      } catch (RuntimeException e) {
        log.warn("redis: async publish batch failed", e);
        batch.forEach(p -> p.future.completeExceptionally(e));
      } finally {
        batch.clear();
        synchronized (this) {
          inFlight = 0;
          notifyAll();
        }
      }
    }
  }

  /**
   * Moves up to {@code max} queued calls into {@code batch}, in queue order, giving each its mark; stops
   * before a call whose job already has {@link MarkStream#SLOTS} calls in the batch. Holds the lock.
   */
  private void take(List<Pending> batch, int max) {
    batchSlots.clear();
    while (!queue.isEmpty() && batch.size() < max) {
      Pending p = queue.peek();
      int slot = batchSlots.merge(p.call.event().jobId(), 1, Integer::sum) - 1;
      if (slot == MarkStream.SLOTS) {
        return;
      }
      queue.poll();
      p.mark = new RedisPublisher.Mark(stream.field(slot), stream.next());
      batch.add(p);
    }
  }

  private void send(List<Pending> batch) {
    long started = System.nanoTime();
    for (int attempt = 0; !batch.isEmpty(); attempt++) {
      List<Supplier<Object>> replies;
      try {
        replies = Retry.onBrokenConnection(publisher.client(), () -> pipeline(batch));
      } catch (JedisException e) {
        if (!Retry.isTransient(e)) {
          batch.forEach(p -> p.future.completeExceptionally(RedisPublisher.failure(p.call, e)));
          return;
        }
        long pause = publisher.pauseMillis(attempt);
        long next = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pause);
        for (Iterator<Pending> it = batch.iterator(); it.hasNext(); ) {
          Pending p = it.next();
          if (abandoned || next > p.deadlineNanos) {
            it.remove();
            p.future.completeExceptionally(publisher.lost(p.call, e, attempt + 1, p.submittedNanos));
          }
        }
        if (attempt == 0) {
          log.warn("redis: {} async publishes waiting for Redis ({}); trying for up to {} ms", batch.size(),
              e.getMessage(), TimeUnit.NANOSECONDS.toMillis(windowNanos));
        }
        if (!batch.isEmpty()) {
          publisher.countRetry();
          try {
            Thread.sleep(pause);
          } catch (InterruptedException ie) {
            abandoned = true;
          }
        }
        continue;
      }
      complete(batch, replies);
      if (attempt > 0) {
        log.info("redis: async publishes stored after {} ms of retrying",
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
      }
      return;
    }
  }

  private void complete(List<Pending> batch, List<Supplier<Object>> replies) {
    List<Pending> noScript = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      Pending p = batch.get(i);
      try {
        finish(p, (List<?>) replies.get(i).get());
      } catch (JedisDataException e) {
        if (e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT")) {
          noScript.add(p);
        } else {
          p.future.completeExceptionally(RedisPublisher.failure(p.call, e));
        }
      }
    }
    for (Pending p : noScript) {
      try {
        finish(p, publisher.runOnce(p.call, p.mark));
      } catch (JedisException e) {
        p.future.completeExceptionally(RedisPublisher.failure(p.call, e));
      }
    }
  }

  /**
   * Runs the batch: one pipeline on one Redis; on a Redis Cluster one call after the other (the job keys
   * of a batch span slots and nodes), each with its user index update.
   */
  private List<Supplier<Object>> pipeline(List<Pending> batch) {
    List<Supplier<Object>> replies = new ArrayList<>(batch.size());
    if (!(publisher.client() instanceof PooledClient client)) {
      for (Pending pending : batch) {
        Object reply;
        try {
          reply = publisher.script().run(publisher.client(), pending.call.keys(), pending.call.args(pending.mark));
          publisher.indexUser(pending.call, (List<?>) reply);
        } catch (JedisDataException e) {
          reply = e; // this call's own failure (NOSCRIPT is handled by run); a broken node fails the batch
        }
        Object r = reply;
        replies.add(() -> {
          if (r instanceof JedisDataException e) {
            throw e;
          }
          return r;
        });
      }
      return replies;
    }
    try (Pipeline p = client.pipeline()) {
      for (Pending pending : batch) {
        Response<Object> r = p.evalsha(publisher.script().sha(), pending.call.keys(), pending.call.args(pending.mark));
        replies.add(r::get);
      }
      p.sync();
    }
    return replies;
  }

  private static void finish(Pending p, List<?> reply) {
    try {
      p.future.complete(RedisPublisher.result(p.call, reply));
    } catch (RuntimeException e) {
      p.future.completeExceptionally(e);
    }
  }

  /** Calls waiting for the sender (not yet taken). */
  synchronized int queued() {
    return queue.size();
  }

  /** Calls held: queued plus in flight. */
  synchronized int held() {
    return queue.size() + inFlight;
  }

  /** Stops taking calls and waits up to 5 s for the held ones to be stored; the rest fail. */
  void close() {
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    try {
      sender.join(TimeUnit.SECONDS.toMillis(5));
      if (sender.isAlive()) {
        abandoned = true;
        sender.interrupt();
        sender.join(TimeUnit.SECONDS.toMillis(5));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Pending> left;
    synchronized (this) {
      left = new ArrayList<>(queue);
      queue.clear();
    }
    for (Pending p : left) {
      p.future.completeExceptionally(new IllegalStateException(
          "redis: publisher closed before job " + p.call.event().jobId() + " was stored: "
              + RedisPublisher.describe(p.call.event())));
    }
  }
}
