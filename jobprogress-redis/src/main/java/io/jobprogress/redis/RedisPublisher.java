package io.jobprogress.redis;

import io.jobprogress.core.ProgressEvent;
import io.jobprogress.core.SnapshotStore.StaleEventException;
import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The one Redis publish path: runs {@link PublishScript} (next seq, snapshot, history, the user's recent
 * jobs, PUBLISH on the job's channel) for each event. {@link RedisBroadcaster#publish} and the worker-side
 * publisher both go through here.
 *
 * <p><b>Redis Cluster</b> ({@link RedisSettings#cluster()}): the job's keys share one slot (hash tag), so
 * the script runs unchanged there and publishes with {@code SPUBLISH} to the job's shard. The user's index
 * of recent jobs lives in the user's slot, so it is written by a second script right after (one more round
 * trip, retried with the first): between the two, {@code sync} may miss the job for a moment; if the second
 * keeps failing past the retry window the event is stored and broadcast but the publish reports the error.
 *
 * <p><b>Outages.</b> While Redis is unreachable, slow or failing over ({@link Retry#isTransient}),
 * {@link #publish} and {@link #publishAsync} keep trying with exponential backoff and jitter for
 * {@link RedisSettings#publishRetryWindow()} (default 30 s); only then does a {@link RedisException} reach
 * the caller or the future, saying which job and which update was lost. Every call carries a mark chosen
 * once (its sender's {@link MarkStream} counter and slot), and the script keeps the last applied mark per
 * stream and slot in the job's meta hash ({@link PublishScript}), so a try that ran but whose reply was lost
 * is not applied twice: each event is stored and broadcast at most once.
 *
 * <p><b>Async buffer.</b> {@link #publishAsync} queues up to {@link RedisSettings#publishBufferMax()}
 * events (queued plus in flight) for one sender thread, which sends them in call order as pipelined
 * batches, so one job's updates keep their order. When the buffer is full: a new update replaces its
 * job's newest queued non-terminal update (latest wins; the replaced future fails with
 * {@link PublishSupersededException}); failing that, a non-terminal update's future fails at once with a
 * {@link RedisException} ("buffer full"), and a terminal update makes the caller wait for room, up to the
 * retry window, then fails its future loudly. A terminal update is never dropped silently.
 *
 * <p><b>Lifecycle and threads.</b> Build once, share, {@link #close()} once. Thread-safe. {@link #publish}
 * blocks for one round trip, or up to the retry window during an outage. {@link #publishAsync} returns at
 * once except for a terminal update meeting a full buffer. The sender thread
 * ({@code jobprogress-redis-send}) starts with the first {@link #publishAsync}.
 */
public final class RedisPublisher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RedisPublisher.class);
  /** Longest pause between two tries: short, so a restarted Redis is noticed within a second. */
  private static final long MAX_PAUSE_MS = 1000;

  /**
   * One prepared script run: the normalized event, keys and arguments (the mark's two left blank, see
   * {@link #args(Mark)}), and in cluster mode the user index update that follows it ({@code null} on one
   * Redis, where the script does it). Immutable.
   */
  record Call(ProgressEvent event, List<String> keys, List<String> args, List<String> indexKeys,
      List<String> indexArgs) {
    /** The script's arguments for a try of this call under {@code mark}. */
    List<String> args(Mark mark) {
      String[] a = args.toArray(new String[0]);
      a[MARK_FIELD_ARG] = mark.field();
      a[MARK_COUNTER_ARG] = Long.toString(mark.counter());
      return Arrays.asList(a);
    }
  }

  /**
   * A call's applied-call mark: its stream's field for the call's slot and the stream's counter for it
   * ({@link PublishScript}, "Applied-call marks"). Chosen once per call, kept by every try of it.
   */
  record Mark(String field, long counter) {}

  private static final int MARK_FIELD_ARG = 7; // ARGV[8]
  private static final int MARK_COUNTER_ARG = 11; // ARGV[12]

  private final RedisSettings settings;
  private final RedisKeys keys;
  private final boolean ownsClient;
  private final PublishScript script;
  private final String tail;
  private final String ttlSeconds;
  private final String maxLen;
  private final String userJobsMax;
  private final UnifiedJedis client; // thread-safe itself (a pool, or the cluster client)
  private final AtomicLong retries = new AtomicLong(); // counted by callers and the sender thread
  private final AtomicLong lost = new AtomicLong();
  /**
   * The mark streams of {@link #publish}: one is leased per call and given back after it, so no stream
   * has two calls in flight and there are as many as calls ran at once. Thread-safe itself; LIFO, so a
   * job published from one thread at a time keeps one stream's field.
   */
  private final ConcurrentLinkedDeque<MarkStream> idleStreams = new ConcurrentLinkedDeque<>();
  /** Guarded by {@code this}; created by the first {@link #publishAsync}. */
  private AsyncPublishQueue queue;
  // written under this by close(), read without the lock by publish() between retries (volatile)
  private volatile boolean closed;

  /** A publisher with its own connection pool to the Redis of {@code settings}; connects lazily. */
  public RedisPublisher(RedisSettings settings) {
    this(settings, RedisClients.open(settings), true);
  }

  RedisPublisher(RedisSettings settings, UnifiedJedis client, boolean ownsClient) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.keys = new RedisKeys(settings.keyPrefix());
    this.client = client;
    this.ownsClient = ownsClient;
    this.script = new PublishScript(settings.cluster());
    this.tail = EnvelopeCodec.tail(settings.nodeId());
    this.ttlSeconds = Long.toString(settings.snapshotTtl().toSeconds());
    this.maxLen = Integer.toString(settings.historyMaxLen());
    this.userJobsMax = Integer.toString(settings.userJobsMax());
  }

  /** The settings this publisher was built with. */
  public RedisSettings settings() {
    return settings;
  }

  /**
   * Stores and broadcasts {@code event}, riding out a Redis outage of up to the retry window.
   *
   * @return the event as stored: seq, epoch, timestamp truncated to milliseconds
   * @throws StaleEventException for a non-terminal update after a terminal one
   * @throws RedisException when Redis stayed away for the whole window, or refused the script
   * @throws IllegalStateException when closed
   */
  public ProgressEvent publish(ProgressEvent event) {
    if (closed) {
      throw new IllegalStateException("redis: publisher is closed");
    }
    Call call = prepare(event);
    MarkStream stream = idleStreams.pollFirst();
    if (stream == null) {
      stream = new MarkStream();
    }
    try {
      return publish(call, new Mark(stream.field(0), stream.next()));
    } finally {
      idleStreams.offerFirst(stream);
    }
  }

  private ProgressEvent publish(Call call, Mark mark) {
    long deadline = System.nanoTime() + settings.publishRetryWindow().toNanos();
    long started = System.nanoTime();
    for (int attempt = 0; ; attempt++) {
      try {
        return result(call, runOnce(call, mark));
      } catch (JedisException e) {
        if (!Retry.isTransient(e)) {
          throw failure(call, e);
        }
        long pause = pauseMillis(attempt);
        if (closed || System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pause) > deadline) {
          throw lost(call, e, attempt + 1, started);
        }
        retries.incrementAndGet();
        if (attempt == 0) {
          log.warn("redis: publish of job {} is waiting for Redis ({}); trying for up to {} ms",
              call.event().jobId(), e.getMessage(), settings.publishRetryWindow().toMillis());
        }
        try {
          Thread.sleep(pause);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw lost(call, e, attempt + 1, started);
        }
      }
    }
  }

  /**
   * Like {@link #publish} without waiting for Redis: the future completes with the stored event, or fails
   * like {@link #publish}, with {@link PublishSupersededException} when a newer update of the same job
   * replaced it in a full buffer, or with {@link IllegalStateException} once closed.
   */
  public CompletableFuture<ProgressEvent> publishAsync(ProgressEvent event) {
    Call call = prepare(event);
    AsyncPublishQueue q;
    synchronized (this) {
      if (closed) {
        return CompletableFuture.failedFuture(new IllegalStateException("redis: publisher is closed"));
      }
      if (queue == null) {
        queue = new AsyncPublishQueue(this, settings.publishBufferMax());
      }
      q = queue;
    }
    return q.submit(call);
  }

  /** How often the script had to be sent in full (NOSCRIPT). */
  public long scriptLoads() {
    return script.loads();
  }

  /** How many tries were repeated because Redis was away (each failed try that was followed by another). */
  public long retries() {
    return retries.get();
  }

  /** How many events were given up after the retry window (their caller or future got the error). */
  public long lost() {
    return lost.get();
  }

  void countRetry() {
    retries.incrementAndGet();
  }

  /** The async queue, {@code null} before the first {@link #publishAsync}; for tests that hold its lock. */
  synchronized AsyncPublishQueue asyncQueue() {
    return queue;
  }

  /** Async calls held (queued plus in flight), and of those not yet taken by the sender. */
  synchronized int[] asyncHeldAndQueued() {
    return queue == null ? new int[2] : new int[] {queue.held(), queue.queued()};
  }

  // ------------------------------------------------------------------ shared with AsyncPublishQueue

  Call prepare(ProgressEvent event) {
    Objects.requireNonNull(event, "event");
    ProgressEvent e = new ProgressEvent(event.jobId(), event.userId(), event.status(), event.progress(),
        event.stage(), event.message(), event.timestamp().truncatedTo(ChronoUnit.MILLIS), 0, null);
    String job = e.jobId();
    String time = Long.toString(e.timestamp().toEpochMilli());
    List<String> args = List.of(EnvelopeCodec.head(e), tail, keys.channel(job),
        e.isTerminal() ? e.status().wireName() : "", newEpoch(), ttlSeconds, maxLen, "", time, job, userJobsMax,
        "");
    if (settings.cluster()) {
      return new Call(e, List.of(keys.meta(job), keys.snapshot(job), keys.history(job)), args,
          List.of(keys.userJobs(e.userId())), List.of(time, job, userJobsMax, ttlSeconds));
    }
    return new Call(e, List.of(keys.meta(job), keys.snapshot(job), keys.history(job), keys.userJobs(e.userId())),
        args, null, null);
  }

  /**
   * One try, once more on a fresh connection if the pooled one was dead. In cluster mode the user index
   * update follows the script; a failure of either fails the try, and the retry runs both again (the
   * script answers a repeated mark with its first result, the index update is idempotent).
   */
  List<?> runOnce(Call call, Mark mark) {
    List<String> args = call.args(mark);
    return Retry.onBrokenConnection(client, () -> {
      List<?> reply = script.run(client, call.keys(), args);
      indexUser(call, reply);
      return reply;
    });
  }

  /** Cluster mode: after the script stored {@code reply}, the user index update on the user's own slot. */
  void indexUser(Call call, List<?> reply) {
    long first = ((Number) reply.get(0)).longValue();
    if (call.indexKeys() != null && first != PublishScript.STALE && first != PublishScript.SUPERSEDED) {
      script.runIndex(client, call.indexKeys(), call.indexArgs());
    }
  }

  UnifiedJedis client() {
    return client;
  }

  PublishScript script() {
    return script;
  }

  long pauseMillis(int attempt) {
    return Retry.backoffMillis(attempt, settings.backoffMin().toMillis(),
        Math.min(settings.backoffMax().toMillis(), MAX_PAUSE_MS));
  }

  /** The stored event from the script's reply, or the stale refusal. */
  static ProgressEvent result(Call call, List<?> reply) {
    ProgressEvent e = call.event();
    long first = ((Number) reply.get(0)).longValue();
    if (first == PublishScript.STALE) {
      throw new StaleEventException("job " + e.jobId() + " is already " + text(reply.get(1)) + "; a "
          + e.status().wireName() + " update may not follow it");
    }
    if (first == PublishScript.SUPERSEDED) {
      // only a late copy gets this, and nobody waits for its reply (PublishScript); were one to reach a
      // caller, the call was settled before and must not be reported as stored by this try
      throw new RedisException("redis: publish of job " + e.jobId() + " was not applied: a later call of its "
          + "sender was applied first, seq unknown: " + describe(e), null);
    }
    if (first == PublishScript.DUPLICATE) {
      return e.withSequence(((Number) reply.get(1)).longValue(), text(reply.get(2)));
    }
    return e.withSequence(first, text(reply.get(1)));
  }

  static RedisException failure(Call call, JedisException ex) {
    return new RedisException("redis: publish of job " + call.event().jobId() + " failed: " + ex.getMessage(), ex);
  }

  RedisException lost(Call call, JedisException ex, int tries, long startedNanos) {
    lost.incrementAndGet();
    ProgressEvent e = call.event();
    return new RedisException("redis: publish of job " + e.jobId() + " failed after "
        + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos) + " ms and " + tries
        + " tries, seq unknown, lost: " + describe(e) + ": " + ex.getMessage(), ex);
  }

  /** {@code "processing 40%"}: what an error message says was lost. */
  static String describe(ProgressEvent e) {
    return e.status().wireName() + " " + e.progress() + "%";
  }

  /** 16 random hex digits; only used when the job's meta hash is new. */
  private static String newEpoch() {
    return Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
  }

  private static String text(Object o) {
    return o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(o);
  }

  /**
   * Sends what {@link #publishAsync} holds (waiting up to 5 s; what is left fails with
   * {@link IllegalStateException}), then closes the pool if this publisher opened it. Idempotent.
   */
  @Override
  public void close() {
    AsyncPublishQueue q;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      q = queue;
    }
    if (q != null) {
      q.close();
    }
    if (ownsClient) {
      client.close();
    }
  }
}
