package io.jobprogress.core;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token expiry on live connections: sends {@code token_expiring} {@link HubSettings#tokenExpiryWarning()}
 * before a session's token expires and closes it with {@link CloseReason#TOKEN_EXPIRED}
 * {@link HubSettings#tokenExpiryGrace()} after, whether or not the client sends anything. One daemon
 * thread for all sessions ({@code jobprogress-timers}, started with the first timer; the batch flushes of
 * {@link ProgressOutbox} run on it too); cancelled timers leave the queue at once. Its tasks only queue
 * frames and closes on connections, so they never block on the network.
 *
 * <p>Lifecycle: created and {@link #shutdown()} by the hub; after shutdown, arming and scheduling do
 * nothing. Thread-safe.
 */
final class TokenTimers {
  private static final Logger log = LoggerFactory.getLogger(JobProgressHub.class);

  private final HubSettings settings;
  private final Clock clock;
  private final ScheduledThreadPoolExecutor timers; // thread-safe itself
  // the pool's thread, once started: shutdown() waits for it to end; written by the pool, read by shutdown
  private volatile Thread thread;

  TokenTimers(HubSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.timers = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "jobprogress-timers");
      t.setDaemon(true);
      thread = t;
      return t;
    });
    timers.setRemoveOnCancelPolicy(true);
  }

  /**
   * (Re)arms the token timers of {@code s} for a token expiring at {@code expiresAt} (null: never). One task is
   * queued per session at a time: the warning, which queues the close when it runs. A refresh in between
   * cancels the pending one, and a timer of the older token that starts after it does nothing.
   */
  void arm(HubSession s, Instant expiresAt) {
    long generation = s.rearm(expiresAt);
    if (expiresAt == null) {
      return;
    }
    long warnAt = expiresAt.toEpochMilli() - settings.tokenExpiryWarning().toMillis();
    long closeAt = expiresAt.toEpochMilli() + settings.tokenExpiryGrace().toMillis();
    schedule(s, generation, warnAt, () -> {
      if (!s.isCurrentTimer(generation)) {
        return;
      }
      s.connection().send(OutboundFrame.control(ProtocolCodec.tokenExpiring(expiresAt, clock.instant())));
      schedule(s, generation, closeAt, () -> {
        if (s.isCurrentTimer(generation)) {
          log.info("Token expired on a live connection of user {}", s.userId());
          s.connection().close(CloseReason.TOKEN_EXPIRED);
          s.onClose();
        }
      });
    });
  }

  /** Queues {@code task} for {@code atMillis} (now when past) as the session's pending token timer. */
  private void schedule(HubSession s, long generation, long atMillis, Runnable task) {
    s.scheduleTimer(generation, () -> {
      try {
        return timers.schedule(task, Math.max(0, atMillis - clock.millis()), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        return null; // the hub closed (and is closing this connection with 1012): no timers any more
      }
    });
  }

  /**
   * Runs {@code task} once on the same timer thread after {@code delayMillis} (the batch flushes of
   * {@link ProgressOutbox} use it: no thread per connection). Never throws; after shutdown returns null.
   */
  ScheduledFuture<?> later(Runnable task, long delayMillis) {
    try {
      return timers.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      return null;
    }
  }

  /**
   * Stops the timer thread (pending timers and flushes are dropped: the hub closed every connection) and
   * waits up to a second for it to end, so a stopping web application leaves no thread behind.
   */
  void shutdown() {
    timers.shutdownNow();
    try {
      timers.awaitTermination(1, TimeUnit.SECONDS);
      Thread t = thread;
      if (t != null && t != Thread.currentThread()) {
        t.join(TimeUnit.SECONDS.toMillis(1));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
