package io.jobprogress.core;

import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

/**
 * One open connection as the hub tracks it: the transport hands every inbound text frame to
 * {@link #onText} and reports the end with {@link #onClose}. Returned by {@link JobProgressHub#open}.
 *
 * <p>{@link #onText} must be called by one thread at a time per session (Jakarta WebSocket guarantees
 * this for a session's messages); it never blocks on the network. {@link #onClose} may come from any
 * thread and is idempotent. State is small: the connection, its user, a rate bucket, two timers and the
 * {@link ProgressOutbox} (last seq per subscribed job, batching).
 */
public final class HubSession {
  private final JobProgressHub hub;
  private final ClientConnection connection;
  private final TokenBucket bucket; // the inbound thread only (onText is one thread at a time)
  private final ProgressOutbox outbox; // thread-safe itself (its own lock)
  // written under this (setTimers: the inbound thread on refresh, or the opening thread), read by any (volatile)
  private volatile Instant expiresAt;
  // written under this (markClosed), read by any thread without the lock (volatile)
  private volatile boolean open = true;
  private int rateViolations; // the inbound thread only
  private long violationWindowStart; // the inbound thread only
  private ScheduledFuture<?> expiryWarning; // guarded by this
  private ScheduledFuture<?> expiryClose; // guarded by this

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

  synchronized void setTimers(Instant newExpiry, ScheduledFuture<?> warning, ScheduledFuture<?> close) {
    cancelTimers();
    expiresAt = newExpiry;
    expiryWarning = warning;
    expiryClose = close;
    if (!open) {
      cancelTimers();
    }
  }

  private synchronized void cancelTimers() {
    if (expiryWarning != null) {
      expiryWarning.cancel(false);
      expiryWarning = null;
    }
    if (expiryClose != null) {
      expiryClose.cancel(false);
      expiryClose = null;
    }
  }
}
