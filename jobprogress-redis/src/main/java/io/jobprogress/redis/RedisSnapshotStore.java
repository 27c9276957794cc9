package io.jobprogress.redis;

import io.jobprogress.core.Ids;
import io.jobprogress.core.ProgressEvent;
import io.jobprogress.core.SnapshotStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The {@link SnapshotStore} in Redis: per job a snapshot string, a capped history stream and a meta hash
 * (seq, epoch, terminal status), and per user a sorted set of recent jobs, all expiring
 * {@link RedisSettings#snapshotTtl()} after the last update.
 *
 * <p>Reads ({@link #latest}, {@link #history}, {@link #recentJobsOf}) are plain reads. Writing is the
 * publish path's business: {@link #append} hands the event to a {@link RedisPublisher}, whose script stores
 * it AND publishes it on the job's channel (one atomic round trip, so the stored seq order is the
 * broadcast order). {@code append} therefore also broadcasts, and rides out Redis outages like
 * {@link RedisPublisher#publish}.
 *
 * <p><b>Lifecycle.</b> Built on its own pool ({@link #RedisSnapshotStore(RedisSettings)}) or on a
 * publisher's ({@link RedisBroadcaster}); {@link #close()} releases what it opened.
 * <b>Threads:</b> thread-safe; reads block for one round trip (once more on a fresh connection after a
 * Redis restart). <b>Errors:</b> {@link StaleEventException} for a non-terminal after a terminal update,
 * {@link RedisException} for Redis failures. Timestamps are stored with millisecond precision.
 */
public final class RedisSnapshotStore implements SnapshotStore, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RedisSnapshotStore.class);

  private final RedisSettings settings;
  private final RedisKeys keys;
  private final RedisPublisher publisher;
  private final UnifiedJedis client;
  private final boolean ownsPublisher;
  private volatile ReadObserver latestReads = new ReadObserver() { };

  /** A store on the Redis of {@code settings}, with its own connection pool. */
  public RedisSnapshotStore(RedisSettings settings) {
    this(new RedisPublisher(Objects.requireNonNull(settings, "settings")), true);
  }

  /** A store reading through {@code publisher}'s pool; {@link #append} publishes with it. */
  RedisSnapshotStore(RedisPublisher publisher, boolean ownsPublisher) {
    this.publisher = publisher;
    this.settings = publisher.settings();
    this.keys = new RedisKeys(settings.keyPrefix());
    this.client = publisher.client();
    this.ownsPublisher = ownsPublisher;
  }

  /** A store configured by {@link RedisSettings#fromEnvironment()}. */
  public static RedisSnapshotStore fromEnvironment() {
    return new RedisSnapshotStore(RedisSettings.fromEnvironment());
  }

  /** The settings this store was built with. */
  public RedisSettings settings() {
    return settings;
  }

  /** Stores and broadcasts {@code event}: {@link RedisPublisher#publish}. */
  @Override
  public ProgressEvent append(ProgressEvent event) {
    return publisher.publish(event);
  }

  /** Stores and broadcasts without blocking: {@link RedisPublisher#publishAsync}. */
  public CompletableFuture<ProgressEvent> appendAsync(ProgressEvent event) {
    return publisher.publishAsync(event);
  }

  @Override
  public Optional<ProgressEvent> latest(String jobId) {
    if (!Ids.isValid(jobId)) {
      return Optional.empty();
    }
    ReadObserver o = latestReads;
    boolean watched = o.started(jobId);
    ProgressEvent e = null;
    try {
      e = readLatest(jobId);
      return Optional.ofNullable(e);
    } finally {
      if (watched) {
        o.finished(jobId, e);
      }
    }
  }

  /** Told about the snapshots {@link #latest} hands out (the hub's reads), on the reading thread. */
  interface ReadObserver {
    /** A read of {@code jobId} starts; true when {@link #finished} should be called for it. */
    default boolean started(String jobId) {
      return false;
    }

    /** The read returned {@code e} ({@code null}: no snapshot, or the read failed). */
    default void finished(String jobId, ProgressEvent e) {}
  }

  /** {@link #latest} without telling the {@link #onLatestRead} listener: the subscriber's own reads. */
  ProgressEvent readLatest(String jobId) {
    String json = read("reading the snapshot of job " + jobId, () -> client.get(keys.snapshot(jobId)));
    return json == null ? null : parse(jobId, json);
  }

  /** Sets who is told about {@link #latest}'s reads (the subscriber). */
  void onLatestRead(ReadObserver listener) {
    latestReads = listener;
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

  /**
   * Reads the user's index (newest update first, at or after {@code since}), then the snapshots of those
   * jobs, page by page until {@code limit} live snapshots are found; jobs whose snapshot expired are
   * skipped. A job's update time is its latest event's timestamp (the publisher's clock). Bounded by
   * {@link RedisSettings#userJobsMax()} indexed jobs per user.
   */
  @Override
  public List<ProgressEvent> recentJobsOf(String userId, Instant since, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("redis: limit must be >= 1, was " + limit);
    }
    Objects.requireNonNull(since, "since");
    List<ProgressEvent> out = new ArrayList<>();
    if (!Ids.isValid(userId)) {
      return out;
    }
    String what = "reading the recent jobs of user " + userId;
    String min = Long.toString(since.toEpochMilli());
    int offset = 0;
    while (out.size() < limit) {
      int page = Math.max(limit - out.size(), 16);
      int from = offset;
      List<String> jobs = read(what, () -> client.zrevrangeByScore(keys.userJobs(userId), "+inf", min, from, page));
      if (jobs.isEmpty()) {
        break;
      }
      offset += jobs.size();
      List<String> snaps = read(what, () -> snapshots(jobs));
      for (int i = 0; i < jobs.size() && out.size() < limit; i++) {
        ProgressEvent e = snaps.get(i) == null ? null : parse(jobs.get(i), snaps.get(i));
        if (e != null && e.userId().equals(userId)) {
          out.add(e);
        }
      }
      if (jobs.size() < page) {
        break;
      }
    }
    return out;
  }

  /** The snapshots of {@code jobs}: one MGET on one Redis; on a cluster one GET each (every job has its own slot). */
  private List<String> snapshots(List<String> jobs) {
    if (!settings.cluster()) {
      return client.mget(jobs.stream().map(keys::snapshot).toArray(String[]::new));
    }
    List<String> out = new ArrayList<>(jobs.size());
    for (String job : jobs) {
      out.add(client.get(keys.snapshot(job)));
    }
    return out;
  }

  /** Runs a read, once more on a fresh connection if the pooled one was dead. */
  private <T> T read(String what, Supplier<T> op) {
    try {
      return Retry.onBrokenConnection(client, op);
    } catch (JedisException ex) {
      throw new RedisException("redis: " + what + " failed: " + ex.getMessage(), ex);
    }
  }

  /** How often the publish script was re-sent after NOSCRIPT. */
  public long scriptLoads() {
    return publisher.scriptLoads();
  }

  private static ProgressEvent parse(String jobId, String json) {
    try {
      return EnvelopeCodec.decode(json);
    } catch (IllegalArgumentException ex) {
      log.debug("redis: ignoring a malformed stored event of job {}: {}", jobId, ex.getMessage());
      return null;
    }
  }

  /** Closes the publisher (sending what {@link #appendAsync} holds) if this store opened it. Idempotent. */
  @Override
  public void close() {
    if (ownsPublisher) {
      publisher.close();
    }
  }
}
