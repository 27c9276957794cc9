package io.jobprogress.core;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token expiry on live connections: sends {@code token_expiring} {@link HubSettings#tokenExpiryWarning()}
 * before a session's token expires and closes it with {@link CloseReason#TOKEN_EXPIRED}
 * {@link HubSettings#tokenExpiryGrace()} after, whether or not the client sends anything. One daemon
 * thread for all sessions; cancelled timers leave the queue at once. Thread-safe.
 */
final class TokenTimers {
  private static final Logger log = LoggerFactory.getLogger(JobProgressHub.class);

  private final HubSettings settings;
  private final Clock clock;
  private final ScheduledThreadPoolExecutor timers;

  TokenTimers(HubSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.timers = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "jobprogress-timers");
      t.setDaemon(true);
      return t;
    });
    timers.setRemoveOnCancelPolicy(true);
  }

  /** (Re)arms the two timers of {@code s} for a token expiring at {@code expiresAt} (null: never). */
  void arm(HubSession s, Instant expiresAt) {
    if (expiresAt == null) {
      s.setTimers(null, null, null);
      return;
    }
    long nowMs = clock.millis();
    long warnIn = expiresAt.toEpochMilli() - settings.tokenExpiryWarning().toMillis() - nowMs;
    long closeIn = expiresAt.toEpochMilli() + settings.tokenExpiryGrace().toMillis() - nowMs;
    ScheduledFuture<?> warning = timers.schedule(() -> {
      if (s.isOpen()) {
        s.connection().send(OutboundFrame.control(ProtocolCodec.tokenExpiring(expiresAt, clock.instant())));
      }
    }, Math.max(0, warnIn), TimeUnit.MILLISECONDS);
    ScheduledFuture<?> close = timers.schedule(() -> {
      if (s.isOpen()) {
        log.info("Token expired on a live connection of user {}", s.userId());
        s.connection().close(CloseReason.TOKEN_EXPIRED);
        s.onClose();
      }
    }, Math.max(0, closeIn), TimeUnit.MILLISECONDS);
    s.setTimers(expiresAt, warning, close);
  }

  /**
   * Runs {@code task} once on the same timer thread after {@code delayMillis} (the batch flushes of
   * {@link ProgressOutbox} use it: no thread per connection). Never throws; after shutdown returns null.
   */
  ScheduledFuture<?> later(Runnable task, long delayMillis) {
    try {
      return timers.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return null;
    }
  }

  /** Stops the timer thread, waiting up to a second so a stopping web application leaves no thread behind. */
  void shutdown() {
    timers.shutdownNow();
    try {
      timers.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
