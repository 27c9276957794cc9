package io.jobprogress.core;

/**
 * A token bucket: {@code ratePerSecond} tokens refill per second up to {@code burst}. The hub limits
 * messages with it and transports may limit handshakes with it (public so they need no internal package).
 * Thread-safe through synchronization; cheap enough for one per connection (three fields).
 */
public final class TokenBucket {
  private final double ratePerNano;
  private final double burst;
  private double tokens;
  private long lastNanos;

  /**
   * @param ratePerSecond refill rate, positive
   * @param burst capacity, at least 1
   * @param nowNanos the current {@link System#nanoTime()}
   */
  public TokenBucket(double ratePerSecond, double burst, long nowNanos) {
    this.ratePerNano = ratePerSecond / 1e9;
    this.burst = burst;
    this.tokens = burst;
    this.lastNanos = nowNanos;
  }

  /** Takes one token if available. */
  public synchronized boolean tryTake(long nowNanos) {
    long elapsed = nowNanos - lastNanos;
    if (elapsed > 0) {
      tokens = Math.min(burst, tokens + elapsed * ratePerNano);
      lastNanos = nowNanos;
    }
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
