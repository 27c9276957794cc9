package io.jobprogress.redis;

import io.jobprogress.core.Broadcaster;
import io.jobprogress.core.ProgressEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;

/**
 * The subscriber side of {@link RedisBroadcaster}: one connection read by one thread
 * ({@code jobprogress-redis-sub}), and one "ops" thread that alone writes to it (SUBSCRIBE/UNSUBSCRIBE,
 * heartbeat PING) and re-delivers stored snapshots: after a reconnect, and in INTEREST mode when Redis
 * confirms a job's channel and the stored event is newer than the snapshot the hub read meanwhile (an
 * event published between the hub's read and the SUBSCRIBE taking effect arrives nowhere live). {@link #interest} only updates a set and
 * schedules the ops thread, so it never blocks.
 *
 * <p>Delivery goes through a {@link DeliveryGate} (one at a time, de-duplicated per job of interest by
 * epoch and seq), so a re-delivered snapshot never overtakes a newer live event. Nothing thrown by Jedis,
 * the listener or a bad payload leaves the threads: failures are logged, counted and end in a reconnect.
 *
 * <p><b>Threads.</b> {@code jobprogress-redis-sub} reads the connection and runs the {@link ConnectionHandler}
 * callbacks, including delivery to the hub (the hub's {@code deliver} runs on it); between reconnect
 * attempts it sleeps (backoff). {@code jobprogress-redis-ops} writes SUBSCRIBE/UNSUBSCRIBE and PING and
 * reads snapshots to re-deliver (one Redis round trip each, bounded by the timeout); its deliveries run on
 * it too, one at a time with the reader's through the {@link DeliveryGate}. Both start with {@link #start}
 * and end in {@link #close}, which waits for them (up to 2 s each).
 */
final class Subscriber implements ConnectionHandler.Events, JobSubscriber {
  private static final Logger log = LoggerFactory.getLogger(Subscriber.class);

  private final RedisSettings settings;
  private final RedisKeys keys;
  private final RedisSnapshotStore store;
  private final boolean pattern;
  private final String controlChannel;
  // the jobs of interest, the gate and the delivery counters (thread-safe itself)
  private final Intake intake;
  // job channels Redis confirmed on the current connection: written by the reader thread, read by any
  private final Set<String> live = ConcurrentHashMap.newKeySet();
  /**
   * INTEREST: per job of interest, the oldest snapshot the hub read since the last channel confirmation
   * (seq 0: none). Written by the hub's threads, taken by the ops thread.
   */
  private final Map<String, DeliveryGate.Seen> handedOut = new ConcurrentHashMap<>();
  /** INTEREST: per job of interest, the hub's snapshot reads still running (hub threads; concurrent). */
  private final Map<String, Integer> readsRunning = new ConcurrentHashMap<>();
  // set by any thread that schedules a reconcile, cleared by the ops thread when it runs one
  private final AtomicBoolean reconcilePending = new AtomicBoolean();
  private final ScheduledThreadPoolExecutor ops; // thread-safe itself; its one thread is jobprogress-redis-ops
  private final Thread reader; // jobprogress-redis-sub
  // the ops thread once started: close() waits for it; written by the pool, read by close() (volatile)
  private volatile Thread opsThread;
  final AtomicLong reconnects = new AtomicLong();
  final AtomicLong heartbeatTimeouts = new AtomicLong();
  // the current connection and its callbacks: written by the reader thread only; read by the ops thread
  // (subscription changes, heartbeat) and close() (volatile)
  private volatile Jedis jedis;
  private volatile ConnectionHandler handler;
  // written by the reader thread only; read by any (volatile)
  private volatile boolean connected;
  private volatile boolean everConnected; // reader thread only (volatile for stats readers)
  // written once by close() (any thread), read by the reader and ops threads (volatile)
  private volatile boolean closed;
  private volatile long downSinceMillis = System.currentTimeMillis(); // written by the reader thread only
  // heartbeat: set by the ops thread (ping sent), cleared by the reader thread (pong, reconnect); volatile
  private volatile boolean pingOutstanding;
  private volatile long pingSentNanos; // written and read by the ops thread only
  // when the reader last received a message: written by the reader thread, read by the ops thread (volatile).
  // A connection that keeps delivering messages is alive even when its pong is stuck behind a backlog.
  private volatile long lastMessageNanos = System.nanoTime();

  Subscriber(RedisSettings settings, RedisSnapshotStore store) {
    this.settings = settings;
    this.keys = new RedisKeys(settings.keyPrefix());
    this.store = store;
    this.intake = new Intake(settings, keys, store);
    this.pattern = settings.mode() == RedisSettings.Mode.PATTERN;
    this.controlChannel = keys.controlChannel(settings.nodeId());
    this.ops = new ScheduledThreadPoolExecutor(1, r -> opsThread = daemon(r, "jobprogress-redis-ops"));
    this.reader = daemon(this::readLoop, "jobprogress-redis-sub");
    store.onLatestRead(new RedisSnapshotStore.ReadObserver() {
      @Override
      public boolean started(String jobId) {
        if (pattern || !intake.wanted.contains(jobId)) {
          return false;
        }
        readsRunning.merge(jobId, 1, Integer::sum);
        return true;
      }

      @Override
      public void finished(String jobId, ProgressEvent e) {
        snapshotRead(jobId, e);
        readsRunning.computeIfPresent(jobId, (k, n) -> n == 1 ? null : n - 1);
      }
    });
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Starts the threads; interest recorded before is subscribed once connected. */
  @Override
  public void start(Broadcaster.Listener listener) {
    intake.gate.listener(listener);
    long hb = settings.heartbeatInterval().toMillis();
    ops.scheduleWithFixedDelay(this::heartbeat, hb, hb, TimeUnit.MILLISECONDS);
    reader.start();
  }

  /** Records interest in a job and schedules the subscription change; never blocks. */
  @Override
  public void interest(String jobId, boolean on) {
    if (!intake.want(jobId, on)) {
      return;
    }
    if (!on) {
      handedOut.remove(jobId);
    }
    if (!pattern && reconcilePending.compareAndSet(false, true)) {
      runOnOps(this::reconcile);
    }
  }

  /** Connected, and (INTEREST) every intake.wanted job's channel confirmed by Redis. */
  @Override
  public boolean isReady() {
    return connected && (pattern || live.containsAll(intake.wanted));
  }

  /** The hub read a snapshot; remember the oldest one read before the job's channel is confirmed. */
  private void snapshotRead(String jobId, ProgressEvent e) {
    if (intake.wanted.contains(jobId)) {
      DeliveryGate.Seen seen = e == null ? new DeliveryGate.Seen("", 0) : new DeliveryGate.Seen(e.epoch(), e.seq());
      handedOut.merge(jobId, seen, (a, b) -> !a.epoch().equals(b.epoch()) ? new DeliveryGate.Seen("", 0)
          : a.seq() <= b.seq() ? a : b);
    }
  }

  // ------------------------------------------------------------------ reader thread

  private void readLoop() {
    int attempt = 0;
    while (!closed) {
      ConnectionHandler h = new ConnectionHandler(keys, controlChannel, this);
      try {
        int timeout = (int) settings.timeout().toMillis();
        // A plain Jedis connection speaks RESP2 (pub/sub replies as arrays); saying so skips a warning.
        Jedis j = new Jedis(settings.url().hostAndPort(), DefaultJedisClientConfig.builder()
            .from(settings.url().clientConfig(timeout, timeout, "jobprogress-sub-" + settings.nodeId()))
            .protocol(RedisProtocol.RESP2).build());
        jedis = j;
        handler = h;
        if (closed) {
          j.close();
          break;
        }
        if (pattern) {
          j.psubscribe(h, keys.pattern());
        } else {
          j.subscribe(h, controlChannel);
        }
      } catch (RuntimeException e) {
        if (!closed) {
          if (connected || attempt == 0) {
            log.warn("redis: subscriber connection to {} lost: {}; reconnecting", settings.url(), e.getMessage());
          } else {
            log.debug("redis: reconnect attempt {} failed: {}", attempt, e.getMessage());
          }
        }
      } finally {
        down();
      }
      if (h.established) {
        attempt = 0;
      }
      if (!closed) {
        pause(attempt++);
      }
    }
  }

  private void down() {
    if (connected) {
      downSinceMillis = System.currentTimeMillis();
    }
    connected = false;
    live.clear();
    pingOutstanding = false;
    Jedis j = jedis;
    if (j != null) {
      try {
        j.close();
      } catch (RuntimeException ignored) {
        // already broken
      }
    }
  }

  private void pause(int attempt) {
    long delay = Retry.backoffMillis(attempt, settings.backoffMin().toMillis(), settings.backoffMax().toMillis());
    try {
      Thread.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }

  @Override
  public void established(ConnectionHandler h) {
    h.established = true;
    pingOutstanding = false;
    boolean reconnect = everConnected;
    everConnected = true;
    connected = true;
    if (reconnect) {
      reconnects.incrementAndGet();
      log.info("redis: subscriber reconnected to {} after {} ms", settings.url(),
          System.currentTimeMillis() - downSinceMillis);
    }
    runOnOps(() -> restore(h, reconnect));
  }

  @Override
  public void subscribed(ConnectionHandler h, String jobId) {
    live.add(jobId);
    if (h.redeliver.remove(jobId)) {
      // after a reconnect: whatever was published while down is missing (the gate drops what is not newer)
      handedOut.remove(jobId);
      runOnOps(() -> redeliver(jobId));
    } else {
      // an event published after the hub read the snapshot but before this SUBSCRIBE took effect
      runOnOps(() -> fillGap(jobId, 0));
    }
  }

  @Override
  public void unsubscribed(String jobId) {
    live.remove(jobId);
  }

  @Override
  public void pong() {
    pingOutstanding = false;
  }

  @Override
  public void message(String channel, String message) {
    lastMessageNanos = System.nanoTime();
    intake.message(channel, message);
  }

  // ------------------------------------------------------------------ ops thread

  /** Runs {@code task} on the ops thread (tests use it to hold subscription changes back). */
  void onOpsThread(Runnable task) {
    runOnOps(task);
  }

  private void runOnOps(Runnable task) {
    try {
      ops.execute(() -> {
        try {
          task.run();
        } catch (RuntimeException e) {
          log.warn("redis: subscriber task failed", e);
        }
      });
    } catch (RejectedExecutionException e) {
      // closed
    }
  }

  private void restore(ConnectionHandler h, boolean reconnect) {
    if (h != handler || closed) {
      return;
    }
    if (reconnect) {
      if (pattern) {
        new ArrayList<>(intake.wanted).forEach(this::redeliver);
      } else {
        h.redeliver.addAll(intake.wanted);
      }
    }
    reconcile();
  }

  private void reconcile() {
    reconcilePending.set(false);
    ConnectionHandler h = handler;
    if (pattern || h == null || !h.established || closed) {
      return;
    }
    List<String> add = new ArrayList<>();
    for (String job : intake.wanted) {
      if (!h.sent.contains(job)) {
        add.add(job);
      }
    }
    List<String> remove = new ArrayList<>();
    for (String job : h.sent) {
      if (!intake.wanted.contains(job)) {
        remove.add(job);
      }
    }
    try {
      if (!add.isEmpty()) {
        h.subscribe(add.stream().map(keys::channel).toArray(String[]::new));
        h.sent.addAll(add);
      }
      if (!remove.isEmpty()) {
        h.unsubscribe(remove.stream().map(keys::channel).toArray(String[]::new));
        remove.forEach(h.sent::remove);
      }
    } catch (RuntimeException e) {
      log.debug("redis: subscription change failed: {}", e.getMessage());
      drop(h);
    }
  }

  private void redeliver(String jobId) {
    redeliver(jobId, 0);
  }

  /** The stored latest event of a job, retried with backoff (5 times) while Redis is still flaky. */
  private void redeliver(String jobId, int attempt) {
    intake.redeliver(jobId, attempt, 5, ops, () -> closed);
  }

  /**
   * After Redis confirmed a job's channel: delivers the stored latest event when it is newer than the
   * oldest snapshot the hub read since it declared interest. Only such a read can have run before the
   * SUBSCRIBE took effect (and missed what followed it); a read that starts after the confirmation sees
   * everything up to it, so without a recorded read nothing is delivered. Hub reads still running are
   * waited for (up to about a second), so their result counts.
   */
  private void fillGap(String jobId, int waited) {
    if (closed || !intake.wanted.contains(jobId)) {
      return;
    }
    if (readsRunning.containsKey(jobId) && waited < 200) {
      // a hub read that may have run before the SUBSCRIBE has not answered yet: its result decides
      try {
        ops.schedule(() -> fillGap(jobId, waited + 1), 5, TimeUnit.MILLISECONDS);
        return;
      } catch (RejectedExecutionException closing) {
        return;
      }
    }
    ProgressEvent e;
    try {
      e = store.readLatest(jobId);
    } catch (RuntimeException ex) {
      log.debug("redis: reading job {} after its subscription failed: {}", jobId, ex.getMessage());
      redeliver(jobId, 1);
      return;
    }
    DeliveryGate.Seen read = handedOut.remove(jobId);
    if (e == null || read == null || (read.epoch().equals(e.epoch()) && e.seq() <= read.seq())) {
      return;
    }
    intake.stored(e);
  }

  private void heartbeat() {
    ConnectionHandler h = handler;
    if (h == null || !h.established || closed) {
      return;
    }
    long now = System.nanoTime();
    if (pingOutstanding) {
      // no pong in time AND no message since the ping either: a pong queued behind a backlog of messages
      // is not a dead connection (dropping it would lose what is published while it reconnects)
      long heardFrom = lastMessageNanos - pingSentNanos > 0 ? lastMessageNanos : pingSentNanos;
      if (now - heardFrom > settings.pongTimeout().toNanos()) {
        heartbeatTimeouts.incrementAndGet();
        log.warn("redis: no pong from {} within {} ms; dropping the subscriber connection", settings.url(),
            settings.pongTimeout().toMillis());
        drop(h);
      }
      return;
    }
    try {
      pingSentNanos = now;
      pingOutstanding = true;
      h.ping();
    } catch (RuntimeException e) {
      drop(h);
    }
  }

  /** Closes the socket under the reader, which then reconnects. */
  private void drop(ConnectionHandler h) {
    Jedis j = jedis;
    if (h == handler && j != null) {
      try {
        j.disconnect();
      } catch (RuntimeException ignored) {
        // the reader sees the broken socket either way
      }
    }
  }

  @Override
  public Map<String, Object> stats() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("connected", connected);
    if (!connected) {
      m.put("reconnectingSince", Instant.ofEpochMilli(downSinceMillis).toString());
    }
    intake.putStats(m);
    m.put("reconnects", reconnects.get());
    m.put("heartbeatTimeouts", heartbeatTimeouts.get());
    return m;
  }

  /** Stops both threads and waits (up to 2 s each) for them to end. Called once, by the broadcaster. */
  @Override
  public void close() {
    closed = true;
    ops.shutdownNow();
    Jedis j = jedis;
    if (j != null) {
      try {
        j.disconnect();
      } catch (RuntimeException ignored) {
        // closing anyway
      }
    }
    reader.interrupt();
    try {
      reader.join(TimeUnit.SECONDS.toMillis(2));
      ops.awaitTermination(2, TimeUnit.SECONDS);
      Thread t = opsThread;
      if (t != null) {
        t.join(TimeUnit.SECONDS.toMillis(2));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
