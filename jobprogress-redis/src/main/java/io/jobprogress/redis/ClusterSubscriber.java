package io.jobprogress.redis;

import io.jobprogress.core.Broadcaster;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.providers.ClusterConnectionProvider;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The subscriber side of {@link RedisBroadcaster} on a Redis Cluster: sharded pub/sub. Each job of
 * interest is {@code SSUBSCRIBE}d at the master that owns its channel's slot, over one {@link ShardConnection}
 * per master (one reader thread each, {@code jobprogress-redis-sub-<host:port>}), opened when the first
 * job of that master is intake.wanted and closed by Redis when its last one is left.
 *
 * <p><b>Topology.</b> The slot map comes from Jedis's {@link ClusterConnectionProvider} and is re-read
 * every {@link RedisSettings#heartbeatInterval()} and after any trouble: a shard connection that breaks
 * (master killed), an {@code SSUBSCRIBE} answered with MOVED (the slot moved; the connection ends), a
 * {@code SUNSUBSCRIBE} that Redis sent on its own (the node lost the slot), or a job whose slot now belongs
 * to another master than its connection's (a failover of a hung master, whose socket never breaks: this
 * check stands in for the single-node heartbeat). Each such job is subscribed again where it now lives,
 * with exponential backoff while the cluster is still failing over.
 *
 * <p><b>Re-delivery.</b> Every time Redis confirms a job's channel (first subscribe or resubscribe), the
 * stored latest event is read and delivered through the {@link DeliveryGate}: what was published while the
 * job had no live subscription (between the hub's read and the SSUBSCRIBE, or during a failover) is not
 * lost, and what the hub already has is dropped (by the gate, or per connection by the hub's outbox).
 *
 * <p><b>Threads.</b> {@code jobprogress-redis-ops} alone writes SSUBSCRIBE/SUNSUBSCRIBE, reads the slot map
 * and re-delivers (one Redis round trip each, bounded by the timeout); the shard readers deliver live
 * events; both go through the gate, one delivery at a time. All start with {@link #start} (readers on
 * demand) and end in {@link #close}, which waits up to 2 s for each.
 */
final class ClusterSubscriber implements JobSubscriber {
  private static final Logger log = LoggerFactory.getLogger(ClusterSubscriber.class);

  private final RedisSettings settings;
  private final RedisKeys keys;
  private final RedisSnapshotStore store;
  private final JedisClientConfig config;
  // the jobs of interest, the gate and the delivery counters (thread-safe itself)
  private final Intake intake;
  // the open shard connections by master: changed by the ops thread only, read by any (concurrent)
  private final Map<HostAndPort, ShardConnection> shards = new ConcurrentHashMap<>();
  private final ScheduledThreadPoolExecutor ops; // one thread, jobprogress-redis-ops
  private final AtomicBoolean reconcilePending = new AtomicBoolean();
  private final AtomicInteger failures = new AtomicInteger(); // consecutive; reset when a shard confirms
  private final AtomicLong resubscribes = new AtomicLong();
  private final AtomicLong shardLosses = new AtomicLong();
  private ClusterConnectionProvider slots; // the slot map: ops thread only (and close after it ended)
  private volatile boolean slotsKnown; // written by the ops thread, read by any
  private volatile boolean topologyStale; // set by any thread, cleared by the ops thread
  private volatile Thread opsThread;
  private volatile boolean closed;

  ClusterSubscriber(RedisSettings settings, RedisSnapshotStore store) {
    this.settings = settings;
    this.keys = new RedisKeys(settings.keyPrefix());
    this.store = store;
    this.intake = new Intake(settings, keys, store);
    this.config = RedisClients.config(settings, "jobprogress-sub-" + settings.nodeId());
    this.ops = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "jobprogress-redis-ops");
      t.setDaemon(true);
      opsThread = t;
      return t;
    });
  }

  @Override
  public void start(Broadcaster.Listener listener) {
    intake.gate.listener(listener);
    long every = settings.heartbeatInterval().toMillis();
    ops.scheduleWithFixedDelay(() -> {
      topologyStale = true;
      reconcile();
    }, every, every, TimeUnit.MILLISECONDS);
    schedule(0);
  }

  @Override
  public void interest(String jobId, boolean on) {
    if (intake.want(jobId, on)) {
      schedule(0);
    }
  }

  @Override
  public boolean isReady() {
    if (!slotsKnown) {
      return false;
    }
    for (String job : intake.wanted) {
      boolean live = false;
      for (ShardConnection s : shards.values()) {
        live |= !s.ended && s.confirmed.contains(job);
      }
      if (!live) {
        return false;
      }
    }
    return true;
  }

  // ------------------------------------------------------------------ reader threads (ShardConnection)

  /** Redis confirmed {@code jobId}'s channel on {@code shard}: re-deliver its stored latest event. */
  void subscribed(ShardConnection shard, String jobId) {
    failures.set(0);
    if (shard.resubscribe.remove(jobId)) {
      resubscribes.incrementAndGet();
    }
    runOnOps(() -> redeliver(jobId, 0));
    if (shard.confirmed.size() == 1) {
      schedule(0); // the connection is up: subscribe the node's other jobs
    }
  }

  /** Redis left {@code jobId}'s channel; when it did so unasked (the slot moved), subscribe it elsewhere. */
  void unsubscribed(ShardConnection shard, String jobId) {
    if (shard.sent.remove(jobId) && intake.wanted.contains(jobId)) {
      log.info("redis: {} stopped serving job {}'s channel; resubscribing where its slot lives now",
          shard.node, jobId);
      topologyStale = true;
      schedule(0);
    }
  }

  /** The connection of {@code shard} ended: broken ({@code error}) or left with no channel. */
  void ended(ShardConnection shard, RuntimeException error) {
    if (closed) {
      return;
    }
    if (error != null) {
      if (shard.established) {
        shardLosses.incrementAndGet();
        log.warn("redis: shard connection to {} lost ({}); resubscribing its jobs", shard.node, error.getMessage());
      } else {
        log.debug("redis: shard connection to {} failed ({}); trying again", shard.node, error.getMessage());
      }
      topologyStale = true;
      int attempt = failures.getAndIncrement();
      schedule(Retry.backoffMillis(attempt, settings.backoffMin().toMillis(), settings.backoffMax().toMillis()));
    } else {
      schedule(0);
    }
  }

  void message(String channel, String message) {
    intake.message(channel, message);
  }

  // ------------------------------------------------------------------ ops thread

  private void schedule(long delayMillis) {
    if (reconcilePending.compareAndSet(false, true)) {
      try {
        ops.schedule(this::reconcile, delayMillis, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException closing) {
        // closed
      }
    }
  }

  private void runOnOps(Runnable task) {
    try {
      ops.execute(task);
    } catch (RejectedExecutionException closing) {
      // closed
    }
  }

  /** Brings the shard connections in line with the intake.wanted jobs and the slot map. Ops thread only. */
  private void reconcile() {
    reconcilePending.set(false);
    if (closed) {
      return;
    }
    try {
      if (slots == null) {
        slots = new ClusterConnectionProvider(settings.clusterSeeds(), config);
        topologyStale = false;
      } else if (topologyStale) {
        topologyStale = false;
        slots.renewSlotCache();
      }
      slotsKnown = true;
    } catch (RuntimeException e) {
      topologyStale = true;
      int attempt = failures.getAndIncrement();
      log.debug("redis: reading the cluster's slot map failed (attempt {}): {}", attempt + 1, e.getMessage());
      schedule(Retry.backoffMillis(attempt, settings.backoffMin().toMillis(), settings.backoffMax().toMillis()));
      return;
    }
    Map<HostAndPort, List<String>> byNode = new HashMap<>();
    for (String job : intake.wanted) {
      HostAndPort node = slots.getNode(JedisClusterCRC16.getSlot(keys.channel(job)));
      if (node == null) {
        topologyStale = true; // a slot with no master: failover under way
        schedule(Retry.backoffMillis(failures.getAndIncrement(), settings.backoffMin().toMillis(),
            settings.backoffMax().toMillis()));
        continue;
      }
      byNode.computeIfAbsent(node, n -> new ArrayList<>()).add(job);
    }
    for (ShardConnection s : new ArrayList<>(shards.values())) {
      if (s.ended) {
        shards.remove(s.node, s);
        continue;
      }
      List<String> here = byNode.getOrDefault(s.node, List.of());
      for (String job : new ArrayList<>(s.sent)) {
        if (!here.contains(job)) {
          s.sent.remove(job);
          s.confirmed.remove(job);
          s.send(() -> s.sunsubscribe(keys.channel(job)));
        }
      }
    }
    byNode.forEach((node, jobs) -> {
      ShardConnection s = shards.get(node);
      if (s == null) {
        String first = jobs.get(0);
        ShardConnection opened = new ShardConnection(this, node, config, keys, first, wasSubscribedBefore(first));
        shards.put(node, opened);
        opened.open();
      } else if (s.established) {
        for (String job : jobs) {
          if (s.sent.add(job)) {
            if (wasSubscribedBefore(job)) {
              s.resubscribe.add(job);
            }
            s.send(() -> s.ssubscribe(keys.channel(job)));
          }
        }
      }
    });
    everSubscribed.addAll(intake.wanted);
    everSubscribed.retainAll(intake.wanted);
  }

  /** Jobs subscribed at some shard before (ops thread only): their next confirmation is a resubscribe. */
  private final Set<String> everSubscribed = new java.util.HashSet<>();

  private boolean wasSubscribedBefore(String job) {
    return everSubscribed.contains(job);
  }

  /** The stored latest event of a job, retried with backoff (8 times) while the cluster is still flaky. */
  private void redeliver(String jobId, int attempt) {
    intake.redeliver(jobId, attempt, 8, ops, () -> closed);
  }

  @Override
  public Map<String, Object> stats() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("connected", slotsKnown && shards.values().stream().allMatch(s -> s.established && !s.ended));
    m.put("cluster", true);
    m.put("shardConnections", shards.size());
    intake.putStats(m);
    m.put("resubscribes", resubscribes.get());
    m.put("shardLosses", shardLosses.get());
    return m;
  }

  @Override
  public void close() {
    closed = true;
    ops.shutdownNow();
    try {
      ops.awaitTermination(2, TimeUnit.SECONDS);
      Thread t = opsThread;
      if (t != null) {
        t.join(TimeUnit.SECONDS.toMillis(2));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    shards.values().forEach(ShardConnection::close);
    ClusterConnectionProvider p = slots;
    if (p != null) {
      try {
        p.close();
      } catch (RuntimeException ignored) {
        // closing anyway
      }
    }
  }

  boolean isClosed() {
    return closed;
  }
}
