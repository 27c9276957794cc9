package io.jobprogress.redis;

import java.util.concurrent.ThreadLocalRandom;

/**
 * One sender of publish calls, as the publish script's applied-call marks see it (the rules are in
 * {@link PublishScript}): a random id and a counter that grows by one per call it sends.
 *
 * <p>The script's exactness rests on one promise its owner keeps: a stream's calls go out one batch at a
 * time, in counter order, and a batch is retried whole, with the same counters and slots, until each of its
 * calls is settled (stored, refused or given up) before the stream sends a later one. {@link AsyncPublishQueue}
 * owns one stream; {@link RedisPublisher#publish} leases one per call from a pool, so that a stream never
 * has two synchronous calls in flight.
 *
 * <p><b>Threads.</b> Not thread-safe: the counter belongs to whoever holds the stream (the sender thread, or
 * the thread that leased it for one call); the pool's hand-over publishes it to the next holder.
 */
final class MarkStream {
  /**
   * The most calls of one job in one batch, so the most mark fields one stream leaves in a job's meta hash.
   * {@link AsyncPublishQueue} ends a batch before the call that would need one more.
   */
  static final int SLOTS = 8;

  private final String id = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
  private final String[] fields = new String[SLOTS]; // filled on first use; owned like the counter
  private long counter; // owned by the stream's holder (see the class comment)

  /** The next call's counter. */
  long next() {
    return ++counter;
  }

  /** The meta hash field of this stream's {@code slot} (0 to {@link #SLOTS} - 1). */
  String field(int slot) {
    if (slot < 0 || slot >= SLOTS) {
      throw new IllegalArgumentException("redis: mark slot " + slot + " outside 0.." + (SLOTS - 1));
    }
    String f = fields[slot];
    if (f == null) {
      f = fields[slot] = "m" + id + "." + slot;
    }
    return f;
  }
}
