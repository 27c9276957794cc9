package io.jobprogress.redis;

import io.jobprogress.core.Ids;
import io.jobprogress.core.ProgressEvent;
import io.jobprogress.core.SnapshotStore;
import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The {@link SnapshotStore} in Redis: per job a snapshot string, a capped history stream and a meta hash
 * (seq, epoch, terminal status), all expiring {@link RedisSettings#snapshotTtl()} after the last update.
 * {@link #append} is one round trip running {@link PublishScript}, which also PUBLISHes the envelope on the
 * job's channel, so a worker needs only this class (no subscriber) to publish.
 *
 * <p>{@link #appendAsync} batches concurrent publishes into pipelined round trips on one sender thread.
 *
 * <p><b>Lifecycle.</b> Opens a pooled {@link RedisClient} at construction (lazily connecting);
 * {@link #close()} releases it. <b>Threads:</b> thread-safe; every method blocks for one round trip.
 * <b>Errors:</b> {@link StaleEventException} for a non-terminal after a terminal update,
 * {@link RedisException} for Redis failures. A broken connection is retried once on a fresh one (after a
 * Redis restart every pooled connection is dead). Timestamps are stored with millisecond precision, so
 * {@code append} returns the event with its timestamp truncated to milliseconds.
 */
public final class RedisSnapshotStore implements SnapshotStore, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RedisSnapshotStore.class);

  private final RedisSettings settings;
  private final RedisKeys keys;
  private final RedisClient client;
  private final PublishScript script = new PublishScript();
  private final String ttlSeconds;
  private final String maxLen;
  private final String tail;
  private volatile PipelinedAppender appender;
  private boolean closed;

  /** A store on the Redis of {@code settings}. */
  public RedisSnapshotStore(RedisSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.keys = new RedisKeys(settings.keyPrefix());
    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    pool.setMaxTotal(settings.poolSize());
    pool.setMaxIdle(settings.poolSize());
    int timeout = (int) settings.timeout().toMillis();
    this.client = RedisClient.builder().hostAndPort(settings.url().hostAndPort())
        .clientConfig(settings.url().clientConfig(timeout, timeout, "jobprogress-" + settings.nodeId()))
        .poolConfig(pool).build();
    this.ttlSeconds = Long.toString(settings.snapshotTtl().toSeconds());
    this.maxLen = Integer.toString(settings.historyMaxLen());
    this.tail = Envelope.tail(settings.nodeId());
  }

  /** A store configured by {@link RedisSettings#fromEnvironment()}. */
  public static RedisSnapshotStore fromEnvironment() {
    return new RedisSnapshotStore(RedisSettings.fromEnvironment());
  }

  /** The settings this store was built with. */
  public RedisSettings settings() {
    return settings;
  }

  /** Not yet kept in Redis: a per-user index of recent jobs comes with the publish-path rework. */
  @Override
  public List<ProgressEvent> recentJobsOf(String userId, java.time.Instant since, int limit) {
    throw new UnsupportedOperationException("redis: recentJobsOf is not implemented yet");
  }

  @Override
  public ProgressEvent append(ProgressEvent event) {
    Call call = call(event);
    List<?> reply;
    try {
      reply = script.run(client, call.keys(), call.args());
    } catch (JedisConnectionException first) {
      // Usually a pooled connection that died with a restarted Redis: retry once on a fresh one. If Redis
      // instead crashed after running the script and kept its data, the update is stored twice with
      // consecutive seqs: harmless for progress, while losing a final state is not.
      dropIdleConnectionsOn(first);
      try {
        reply = script.run(client, call.keys(), call.args());
      } catch (JedisException ex) {
        throw failure(call.event(), ex);
      }
    } catch (JedisException ex) {
      throw failure(call.event(), ex);
    }
    return result(call.event(), reply);
  }

  /**
   * Like {@link #append} without blocking: the event joins a queue that one sender thread writes to Redis
   * in pipelined batches (up to 128 per round trip), in call order, so one job's events keep their order.
   * The future completes with the stored event or fails like {@link #append}; it fails with
   * {@link IllegalStateException} once the store is closed.
   */
  public CompletableFuture<ProgressEvent> appendAsync(ProgressEvent event) {
    Call call = call(event);
    PipelinedAppender a = appender;
    if (a == null) {
      synchronized (this) {
        if (closed) {
          return CompletableFuture.failedFuture(new IllegalStateException("redis: snapshot store is closed"));
        }
        if (appender == null) {
          appender = new PipelinedAppender(this, client, script);
        }
        a = appender;
      }
    }
    return a.submit(call);
  }

  /** One prepared script call: the normalized event, its keys and arguments. */
  record Call(ProgressEvent event, List<String> keys, List<String> args) {}

  private Call call(ProgressEvent event) {
    Objects.requireNonNull(event, "event");
    ProgressEvent e = new ProgressEvent(event.jobId(), event.userId(), event.status(), event.progress(),
        event.stage(), event.message(), event.timestamp().truncatedTo(ChronoUnit.MILLIS), 0, null);
    String job = e.jobId();
    return new Call(e, List.of(keys.meta(job), keys.snapshot(job), keys.history(job)),
        List.of(Envelope.head(e), tail, keys.channel(job), e.isTerminal() ? e.status().wireName() : "",
            newEpoch(), ttlSeconds, maxLen));
  }

  /** The stored event from the script's reply, or the stale refusal. */
  ProgressEvent result(ProgressEvent e, List<?> reply) {
    long seq = ((Number) reply.get(0)).longValue();
    String second = text(reply.get(1));
    if (seq == PublishScript.STALE) {
      throw new StaleEventException("job " + e.jobId() + " is already " + second + "; a "
          + e.status().wireName() + " update may not follow it");
    }
    return e.withSequence(seq, second);
  }

  RedisException failure(ProgressEvent e, JedisException ex) {
    dropIdleConnectionsOn(ex);
    return new RedisException("redis: publish of job " + e.jobId() + " failed: " + ex.getMessage(), ex);
  }

  @Override
  public Optional<ProgressEvent> latest(String jobId) {
    if (!Ids.isValid(jobId)) {
      return Optional.empty();
    }
    String json = read("reading the snapshot of job " + jobId, () -> client.get(keys.snapshot(jobId)));
    return Optional.ofNullable(json == null ? null : parse(jobId, json));
  }

  @Override
  public List<ProgressEvent> history(String jobId, long afterSeq) {
    if (!Ids.isValid(jobId)) {
      return List.of();
    }
    List<StreamEntry> entries =
        read("reading the history of job " + jobId, () -> client.xrange(keys.history(jobId), "-", "+"));
    List<ProgressEvent> out = new ArrayList<>(entries.size());
    for (StreamEntry entry : entries) {
      String json = entry.getFields().get("e");
      ProgressEvent e = json == null ? null : parse(jobId, json);
      if (e != null && e.seq() > afterSeq) {
        out.add(e);
      }
    }
    return out;
  }

  /** 16 random hex digits; only used when the job's meta hash is new (no SecureRandom on the hot path). */
  private static String newEpoch() {
    return Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
  }

  /** Runs an idempotent read, once more on a fresh connection if the pooled one was dead. */
  private <T> T read(String what, Supplier<T> op) {
    try {
      return op.get();
    } catch (JedisConnectionException first) {
      dropIdleConnectionsOn(first);
      try {
        return op.get();
      } catch (JedisException ex) {
        throw new RedisException("redis: " + what + " failed: " + ex.getMessage(), ex);
      }
    } catch (JedisException ex) {
      throw new RedisException("redis: " + what + " failed: " + ex.getMessage(), ex);
    }
  }

  /** After a lost connection the idle pooled ones are dead too (Redis restarted): drop them. */
  void dropIdleConnectionsOn(JedisException ex) {
    if (ex instanceof JedisConnectionException) {
      try {
        client.getPool().clear();
      } catch (RuntimeException ignored) {
        // best effort; a dead connection fails once more and is dropped then
      }
    }
  }

  /** How often the publish script was re-sent after NOSCRIPT. */
  public long scriptLoads() {
    return script.loads();
  }

  private static ProgressEvent parse(String jobId, String json) {
    try {
      return Envelope.decode(json);
    } catch (IllegalArgumentException ex) {
      log.debug("redis: ignoring a malformed stored event of job {}: {}", jobId, ex.getMessage());
      return null;
    }
  }

  private static String text(Object o) {
    return o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(o);
  }

  /** Sends what {@link #appendAsync} queued (waiting up to 5 s), then closes the pool. Idempotent. */
  @Override
  public void close() {
    PipelinedAppender a;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      a = appender;
    }
    if (a != null) {
      a.close();
    }
    client.close();
  }
}
