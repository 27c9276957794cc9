package io.jobprogress.redis;

import io.jobprogress.core.Broadcaster;
import io.jobprogress.core.ProgressEvent;
import io.jobprogress.core.SnapshotStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@link Broadcaster} over Redis pub/sub: {@link #publish} goes through the {@link RedisPublisher}
 * (seq, snapshot, history and PUBLISH in one round trip, riding out Redis outages up to
 * {@link RedisSettings#publishRetryWindow()}); one subscriber connection per instance receives the job
 * channels and hands each event to the hub. The {@link #store()} reads through the publisher's pool.
 *
 * <p><b>Modes</b> ({@link RedisSettings.Mode}): INTEREST (default) subscribes to {@code job:J} while this
 * instance has a subscriber for J ({@link Scope#USER} hints are not needed and ignored); PATTERN
 * psubscribes {@code job:*}. See docs/scaling.md for the traffic each costs.
 *
 * <p><b>Redis Cluster</b> ({@link RedisSettings#cluster()}): events travel by sharded pub/sub
 * ({@code SPUBLISH} in the publish script, {@code SSUBSCRIBE job:J} at the shard that owns J's slot), so
 * an event reaches only its job's shard and the instances subscribed there; the mode is always INTEREST.
 * See {@link ClusterSubscriber} for topology changes and failover.
 *
 * <p><b>Own events</b> come back through the subscription like everyone else's: one delivery path keeps
 * one order per job (the seq order Redis assigned), which local delivery plus echo-dropping would not
 * give when several nodes publish to one job.
 *
 * <p><b>Failures.</b> The subscriber heartbeats with a pub/sub PING; a missing pong within
 * {@link RedisSettings#pongTimeout()} or a broken socket starts reconnecting with exponential backoff and
 * jitter. After reconnecting it restores every subscription and re-delivers the stored latest event of
 * every job of interest (older-or-equal seqs already delivered are dropped), so a final state is never
 * lost. {@link #stats()} shows {@code connected} and {@code reconnectingSince}. Malformed payloads are
 * logged at debug and counted ({@code malformed}).
 *
 * <p><b>Lifecycle and threads.</b> {@link #start} once, {@link #close} once (idempotent). Thread-safe;
 * {@link #publish} blocks for one round trip (during a Redis outage up to the retry window),
 * {@link #interest} never blocks, the listener is called on the subscriber's threads, one call at a time.
 */
public final class RedisBroadcaster implements Broadcaster {
  private final RedisSettings settings;
  private final RedisPublisher publisher;
  private final RedisSnapshotStore store;
  private final AtomicLong published = new AtomicLong();
  // owns the jobprogress-redis-sub(-<node>) and jobprogress-redis-ops threads
  private final JobSubscriber subscriber;
  private boolean started; // guarded by this
  // written under this by close(), read without the lock by publish() (volatile)
  private volatile boolean closed;

  /** A broadcaster for {@code settings}; connects when started. */
  public RedisBroadcaster(RedisSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.publisher = new RedisPublisher(settings);
    this.store = new RedisSnapshotStore(publisher, false);
    this.subscriber = settings.cluster() ? new ClusterSubscriber(settings, store) : new Subscriber(settings, store);
  }

  /** A broadcaster configured by {@link RedisSettings#fromEnvironment()}. */
  public static RedisBroadcaster fromEnvironment() {
    return new RedisBroadcaster(RedisSettings.fromEnvironment());
  }

  @Override
  public synchronized void start(Listener listener) {
    Objects.requireNonNull(listener, "listener");
    if (closed) {
      throw new IllegalStateException("redis: broadcaster is closed");
    }
    if (started) {
      throw new IllegalStateException("redis: broadcaster already started");
    }
    started = true;
    subscriber.start(listener);
  }

  @Override
  public ProgressEvent publish(ProgressEvent event) {
    if (closed) {
      throw new IllegalStateException("redis: broadcaster is closed");
    }
    ProgressEvent stored = publisher.publish(event);
    published.incrementAndGet();
    return stored;
  }

  @Override
  public void interest(Scope scope, String id, boolean interested) {
    if (scope == Scope.JOB) {
      subscriber.interest(id, interested);
    }
  }

  /**
   * Whether the subscriber is connected and (INTEREST) Redis confirmed the channel of every job of
   * interest. Events published before that may not arrive live (the hub's snapshot covers them).
   */
  public boolean isReady() {
    return subscriber.isReady();
  }

  /** The single-node subscriber (tests). */
  Subscriber subscriber() {
    return (Subscriber) subscriber;
  }

  @Override
  public SnapshotStore store() {
    return store;
  }

  /** The settings this broadcaster was built with. */
  public RedisSettings settings() {
    return settings;
  }

  @Override
  public Map<String, Object> stats() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "redis");
    m.put("mode", settings.mode().name().toLowerCase(java.util.Locale.ROOT));
    m.put("nodeId", settings.nodeId());
    m.putAll(subscriber.stats());
    m.put("published", published.get());
    m.put("scriptLoads", publisher.scriptLoads());
    m.put("publishRetries", publisher.retries());
    m.put("publishesLost", publisher.lost());
    return m;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    subscriber.close();
    publisher.close();
  }
}
