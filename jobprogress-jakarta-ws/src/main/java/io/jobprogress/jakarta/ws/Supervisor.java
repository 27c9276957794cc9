package io.jobprogress.jakarta.ws;

import io.jobprogress.core.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.Session;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the live connections of one {@link JobProgressWebSocket}: a sweep (on one daemon thread, only
 * while connections exist) closes those stalled past the slow-consumer timeout and those idle past the idle
 * timeout (the library keeps the idle timeout itself, the same in every container: Tyrus' own timer can
 * close a fresh session whose timeout was set in {@code onOpen}), and closes run on a small
 * daemon pool because a container's {@code Session.close} may block while a send is stuck (Tomcat waits
 * up to its blocking-send timeout). Thread-safe.
 */
final class Supervisor {
  private static final Logger log = LoggerFactory.getLogger(Supervisor.class);

  private final TransportMetrics metrics = new TransportMetrics();
  private final Set<SessionConnection> live = ConcurrentHashMap.newKeySet();
  private final long timeoutNanos;
  private final long idleNanos;
  private final long periodMillis;
  private final ScheduledThreadPoolExecutor sweeper;
  private final ThreadPoolExecutor closer;
  private ScheduledFuture<?> sweep;

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

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  TransportMetrics metrics() {
    return metrics;
  }

  synchronized void watch(SessionConnection c) {
    live.add(c);
    if (sweep == null) {
      sweep = sweeper.scheduleWithFixedDelay(this::sweep, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }
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

  /** Closes {@code session} on the close pool; never blocks the caller, unless the pool was shut down. */
  void closeSession(Session session, CloseReason reason) {
    try {
      closer.execute(() -> closeNow(session, reason));
    } catch (RejectedExecutionException e) {
      // shut down already (e.g. the endpoint was closed before its hub): close here rather than not at all
      closeNow(session, reason);
    }
  }

  static void closeNow(Session session, CloseReason reason) {
    try {
      if (session.isOpen()) {
        session.close(new jakarta.websocket.CloseReason(CloseCodes.getCloseCode(reason.code()), reason.reason()));
      }
    } catch (Exception e) {
      log.debug("Closing a session failed: {}", String.valueOf(e));
    }
  }

  /**
   * Stops the threads, letting closes already handed over finish (up to 2 s), so a stopping web
   * application leaves no thread behind; live connections are left to the container.
   */
  void shutdown() {
    sweeper.shutdownNow();
    closer.shutdown();
    try {
      sweeper.awaitTermination(1, TimeUnit.SECONDS);
      closer.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
