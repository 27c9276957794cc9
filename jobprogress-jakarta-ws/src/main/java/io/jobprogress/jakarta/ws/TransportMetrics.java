package io.jobprogress.jakarta.ws;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the outbound pipeline of one {@link JobProgressWebSocket}: how often the latest-wins queues
 * replaced or dropped updates, the deepest any connection's queue got, and how many connections were
 * closed as slow consumers. Lives as long as its {@code JobProgressWebSocket}; thread-safe; reads never
 * block.
 */
public final class TransportMetrics {
  private final LongAdder replacedFrames = new LongAdder();
  private final LongAdder droppedFrames = new LongAdder();
  private final LongAdder slowConsumerCloses = new LongAdder();
  private final AtomicLong maxQueueDepth = new AtomicLong();

  TransportMetrics() {}

  /** Waiting updates overwritten by a newer update of the same job (latest wins). */
  public long replacedFrames() {
    return replacedFrames.sum();
  }

  /** Updates not queued (or evicted) because a connection's queue was full. Terminal and control frames are never counted here. */
  public long droppedFrames() {
    return droppedFrames.sum();
  }

  /** Connections closed with {@code slow_consumer} (1013). */
  public long slowConsumerCloses() {
    return slowConsumerCloses.sum();
  }

  /** The most frames that ever waited in one connection's queue; never above the queue capacity. */
  public long maxQueueDepth() {
    return maxQueueDepth.get();
  }

  /** All counters by name, for a stats or metrics endpoint. */
  public Map<String, Object> toMap() {
    return Map.of("replacedFrames", replacedFrames(), "droppedFrames", droppedFrames(),
        "slowConsumerCloses", slowConsumerCloses(), "maxQueueDepth", maxQueueDepth());
  }

  void offered(SendQueue.Offer offer, int depth) {
    switch (offer) {
      case REPLACED -> replacedFrames.increment();
      case DROPPED, EVICTED, STALE -> droppedFrames.increment();
      default -> { }
    }
    if (depth > maxQueueDepth.get()) {
      maxQueueDepth.accumulateAndGet(depth, Math::max);
    }
  }

  void slowConsumerClosed() {
    slowConsumerCloses.increment();
  }
}
