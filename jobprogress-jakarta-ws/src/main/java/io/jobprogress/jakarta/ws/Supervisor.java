package io.jobprogress.jakarta.ws;

import io.jobprogress.core.CloseReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the live connections of one {@link JobProgressWebSocket}: a sweep closes those stalled past the
 * slow-consumer timeout and those idle past the idle timeout (the library keeps the idle timeout itself,
 * the same in every container: Tyrus' own timer can close a fresh session whose timeout was set in
 * {@code onOpen}), and closes run on a small pool because a container's {@code Session.close} may block
 * while a send is stuck (Tomcat waits up to its blocking-send timeout).
 *
 * <p><b>Threads.</b> {@code jobprogress-ws-sweeper}: one daemon thread, scheduled only while connections
 * exist, ends after 5 s without work; it only reads connection state and hands closes over.
 * {@code jobprogress-ws-close}: up to four daemon threads that call {@link Wire#close} (may block on the
 * network, bounded by the container's send timeout); they end after 5 s without work.
 *
 * <p><b>Lifecycle.</b> {@link #shutdown} closes what is still watched with 1012 after its queue drained
 * (bounded by the slow-consumer timeout), refuses new connections ({@link #watch} returns false), stops
 * both pools and waits for their threads to end. Thread-safe.
 */
final class Supervisor {
  private static final Logger log = LoggerFactory.getLogger(Supervisor.class);

  private final TransportMetrics metrics = new TransportMetrics(); // thread-safe itself
  // added by container threads (onOpen), removed by them (onClose) and by the sweep (concurrent set)
  private final Set<SessionConnection> live = ConcurrentHashMap.newKeySet();
  private final long timeoutNanos;
  private final long idleNanos;
  private final long periodMillis;
  private final ScheduledThreadPoolExecutor sweeper; // thread-safe itself
  private final ThreadPoolExecutor closer; // thread-safe itself
  // every thread the two pools started and that may still run; shutdown() waits for them (concurrent set)
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
  private ScheduledFuture<?> sweep; // guarded by this
  private boolean shutDown; // guarded by this
  // held for the whole of shutdown(), so a second caller returns once the first is done; never taken
  // while holding this
  private final Object shutdownLock = new Object();

  Supervisor(Duration slowConsumerTimeout, Duration idleTimeout) {
    this.timeoutNanos = slowConsumerTimeout.toNanos();
    this.idleNanos = idleTimeout.toNanos();
    long shortest = Math.min(slowConsumerTimeout.toMillis(), idleTimeout.toMillis());
    this.periodMillis = Math.max(10, Math.min(1000, shortest / 4));
    this.sweeper = new ScheduledThreadPoolExecutor(1, daemon("jobprogress-ws-sweeper"));
    sweeper.setRemoveOnCancelPolicy(true);
    sweeper.setKeepAliveTime(5, TimeUnit.SECONDS);
    sweeper.allowCoreThreadTimeOut(true);
    this.closer = new ThreadPoolExecutor(4, 4, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        daemon("jobprogress-ws-close"));
    closer.allowCoreThreadTimeOut(true);
  }

  private ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      threads.removeIf(old -> !old.isAlive() && old.getState() == Thread.State.TERMINATED);
      threads.add(t);
      return t;
    };
  }

  TransportMetrics metrics() {
    return metrics;
  }

  /** Starts watching {@code c}; false once shut down (the caller closes it with 1012). */
  synchronized boolean watch(SessionConnection c) {
    if (shutDown) {
      return false;
    }
    live.add(c);
    if (sweep == null) {
      sweep = sweeper.scheduleWithFixedDelay(this::sweep, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }
    return true;
  }

  /** Whether {@link #shutdown} began: new connections are refused. */
  synchronized boolean isShutDown() {
    return shutDown;
  }

  /** The connections watched now (a read-only view; tests reach a connection's {@link Wire} through it). */
  Set<SessionConnection> watched() {
    return Collections.unmodifiableSet(live);
  }

  void unwatch(SessionConnection c) {
    live.remove(c);
  }

  /** Frames waiting across all live connections now. */
  long queuedFrames() {
    long n = 0;
    for (SessionConnection c : live) {
      n += c.queuedFrames();
    }
    return n;
  }

  private void sweep() {
    long now = System.nanoTime();
    for (SessionConnection c : live) {
      if (c.isClosed()) {
        live.remove(c);
        continue;
      }
      CloseReason reason = c.stalledReason(now, timeoutNanos);
      if (reason == null && c.idleNanos(now) > idleNanos) {
        log.debug("Closing idle connection of user {}", c.userId());
        reason = CloseReason.IDLE_TIMEOUT;
      }
      if (reason != null) {
        if (reason == CloseReason.SLOW_CONSUMER) {
          metrics.slowConsumerClosed();
          log.info("Closing slow consumer of user {}: {} frames waiting", c.userId(), c.queuedFrames());
        }
        c.forceClose(reason);
        live.remove(c);
      }
    }
    synchronized (this) {
      if (live.isEmpty() && sweep != null) {
        sweep.cancel(false);
        sweep = null;
      }
    }
  }

  /**
   * Closes {@code wire} on the close pool, then runs {@code done}; never blocks the caller, unless the
   * pool was shut down (then here).
   */
  void closeSession(Wire wire, CloseReason reason, Runnable done) {
    try {
      closer.execute(() -> wire.close(reason, done));
    } catch (RejectedExecutionException e) {
      // shut down already (e.g. the endpoint was closed before its hub): close here rather than not at all
      wire.close(reason, done);
    }
  }

  /**
   * Shuts down: refuses new connections, closes every watched one with {@code reason} after the frames
   * already queued for it, waits until each close was handed to the container (or the container reported
   * the connection closed), together at most the slow-consumer timeout, drops the queues of those still
   * not done and closes them at once, then stops both pools and waits (up to 2 s) for their threads to end.
   * Runs on the caller's thread. Idempotent; a concurrent second call waits for the first.
   */
  void shutdown(CloseReason reason) {
    synchronized (shutdownLock) {
      List<SessionConnection> open;
      synchronized (this) {
        if (shutDown) {
          return;
        }
        shutDown = true;
        open = new ArrayList<>(live);
        if (sweep != null) {
          sweep.cancel(false);
          sweep = null;
        }
      }
      drainAndStop(open, reason);
    }
  }

  private void drainAndStop(List<SessionConnection> open, CloseReason reason) {
    for (SessionConnection c : open) {
      c.close(reason);
    }
    long deadline = System.nanoTime() + timeoutNanos;
    try {
      for (SessionConnection c : open) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        try {
          c.finished().get(left, TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    int stuck = 0;
    for (SessionConnection c : open) {
      if (!c.finished().isDone()) {
        stuck++;
        c.forceClose(reason);
      }
    }
    if (stuck > 0) {
      log.info("{} connections had not taken their queued frames within {} ms of shutdown; closed without them",
          stuck, TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
    }
    sweeper.shutdownNow();
    closer.shutdown();
    try {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      closer.awaitTermination(2, TimeUnit.SECONDS);
      sweeper.awaitTermination(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
      for (Thread t : threads) {
        if (t == Thread.currentThread()) {
          continue;
        }
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
