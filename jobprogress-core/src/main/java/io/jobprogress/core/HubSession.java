package io.jobprogress.core;

import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Supplier;

/**
 * One open connection as the hub tracks it: the transport hands every inbound text frame to
 * {@link #onText} and reports the end with {@link #onClose}. Returned by {@link JobProgressHub#open}.
 *
 * <p>{@link #onText} must be called by one thread at a time per session (Jakarta WebSocket guarantees
 * this for a session's messages); it never blocks on the network. {@link #onClose} may come from any
 * thread and is idempotent. State is small: the connection, its user, a rate bucket, the token's next
 * timer (the warning, then the close: one scheduled task at a time) and the {@link ProgressOutbox} (last seq
 * per subscribed job, batching).
 */
public final class HubSession {
  private final JobProgressHub hub;
  private final ClientConnection connection;
  private final TokenBucket bucket; // the inbound thread only (onText is one thread at a time)
  private final ProgressOutbox outbox; // thread-safe itself (its own lock)
  // written under this (rearm: the inbound thread on refresh, or the opening thread), read by any (volatile)
  private volatile Instant expiresAt;
  // written under this (markClosed), read by any thread without the lock (volatile)
  private volatile boolean open = true;
  private int rateViolations; // the inbound thread only
  private long violationWindowStart; // the inbound thread only
  private ScheduledFuture<?> expiryTimer; // guarded by this: the token's pending warning or close
  private long timerGeneration; // guarded by this: counts rearm()s, so a timer of an older token does nothing

  HubSession(JobProgressHub hub, ClientConnection connection, Instant expiresAt, TokenBucket bucket) {
    this.hub = hub;
    this.connection = connection;
    this.expiresAt = expiresAt;
    this.bucket = bucket;
    this.outbox = hub.track(this);
  }

  /** The transport's connection. */
  public ClientConnection connection() {
    return connection;
  }

  /** The connection's user. */
  public String userId() {
    return connection.userId();
  }

  /** When the connection's current token expires, or null. */
  public Instant expiresAt() {
    return expiresAt;
  }

  /** Whether the session is still registered. */
  public boolean isOpen() {
    return open;
  }

  /** Handles one inbound text frame: decode, rate-limit, act, answer. */
  public void onText(String text) {
    if (open) {
      hub.handle(this, text);
    }
  }

  /** Unregisters the connection; call when the transport closed. Idempotent. */
  public void onClose() {
    if (markClosed()) {
      cancelTimers();
      hub.closed(this);
    }
  }

  private synchronized boolean markClosed() {
    if (!open) {
      return false;
    }
    open = false;
    return true;
  }

  // ---- package-private state used by the hub

  ProgressOutbox outbox() {
    return outbox;
  }

  boolean takeToken(long nowNanos) {
    return bucket.tryTake(nowNanos);
  }

  /** Counts an over-limit frame; the count restarts when the last window began over {@code windowNanos} ago. */
  int recordViolation(long nowNanos, long windowNanos) {
    if (rateViolations == 0 || nowNanos - violationWindowStart > windowNanos) {
      rateViolations = 0;
      violationWindowStart = nowNanos;
    }
    return ++rateViolations;
  }

  /**
   * A new token expiry (null: never): cancels the pending timer and returns the generation that the new
   * token's timers are scheduled under ({@link #scheduleTimer}).
   */
  synchronized long rearm(Instant newExpiry) {
    cancelTimers();
    expiresAt = newExpiry;
    return ++timerGeneration;
  }

  /**
   * Queues the current token's next timer ({@code schedule} returns its future, or null when the timer
   * thread is gone) and makes it the pending one, under this session's lock: the task, which checks
   * {@link #isCurrentTimer} first, cannot run before it is pending. Does nothing once the session closed or
   * a newer token re-armed it ({@code generation} is not current).
   */
  synchronized void scheduleTimer(long generation, Supplier<ScheduledFuture<?>> schedule) {
    if (open && generation == timerGeneration) {
      expiryTimer = schedule.get();
    }
  }

  /** Whether {@code generation} is still the current token's: a refresh since makes its timers moot. */
  synchronized boolean isCurrentTimer(long generation) {
    return open && generation == timerGeneration;
  }

  private synchronized void cancelTimers() {
    if (expiryTimer != null) {
      expiryTimer.cancel(false);
      expiryTimer = null;
    }
  }
}
