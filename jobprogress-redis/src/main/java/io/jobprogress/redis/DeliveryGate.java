package io.jobprogress.redis;

import io.jobprogress.core.Broadcaster;
import io.jobprogress.core.ProgressEvent;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands events to the hub's listener one at a time, dropping for each tracked job (a job of interest)
 * what is not newer than the last event delivered in the same epoch. Live events (reader thread) and
 * re-delivered snapshots (ops thread) both pass here, so a snapshot read before a newer live event
 * arrived can never overtake it. A listener that throws is logged; delivery goes on. Thread-safe:
 * {@link #deliver} holds this object's lock while the listener (the hub's {@code deliver}) runs, so
 * deliveries never overlap; the listener must not block.
 */
final class DeliveryGate {
  private static final Logger log = LoggerFactory.getLogger(DeliveryGate.class);

  /** An epoch and seq: what a snapshot read handed out ({@link Subscriber}). */
  record Seen(String epoch, long seq) {}

  /**
   * The last event of a job that passed: its epoch and seq. Updated in place, keeping the epoch's string
   * while it stays the same, so a delivered event leaves no new object behind in the long-lived map (see
   * {@code ProgressOutbox.Last}). Read and written only under the gate's lock. It has the same shape as that
   * class but is kept apart on purpose: that one is private to jobprogress-core, and other modules may not use
   * core's internal packages, so sharing would make a mutable holder public API for eight lines.
   */
  private static final class Passed {
    private String epoch;
    private long seq;

    Passed(String epoch, long seq) {
      this.epoch = epoch;
      this.seq = seq;
    }
  }

  // written under this (deliver) and by the ops thread (forget, via interest changes); a concurrent map
  private final Map<String, Passed> lastSeen = new ConcurrentHashMap<>();
  private final AtomicLong duplicates = new AtomicLong();
  // set once before the threads start (Subscriber.start), read by the delivering threads (volatile)
  private volatile Broadcaster.Listener listener = e -> { };

  void listener(Broadcaster.Listener l) {
    listener = l;
  }

  /** Delivers {@code e} unless it is tracked and not newer than what was delivered. */
  synchronized void deliver(ProgressEvent e, boolean tracked) {
    if (tracked && e.seq() > 0) {
      Passed s = lastSeen.get(e.jobId());
      if (s == null) {
        lastSeen.put(e.jobId(), new Passed(e.epoch(), e.seq()));
      } else if (Objects.equals(s.epoch, e.epoch())) {
        if (e.seq() <= s.seq) {
          duplicates.incrementAndGet();
          return;
        }
        s.seq = e.seq();
      } else {
        s.epoch = e.epoch();
        s.seq = e.seq();
      }
    }
    try {
      listener.onEvent(e);
    } catch (RuntimeException ex) {
      log.warn("redis: listener failed for job {}", e.jobId(), ex);
    }
  }

  /** Stops tracking a job (no longer of interest). */
  void forget(String jobId) {
    lastSeen.remove(jobId);
  }

  long duplicates() {
    return duplicates.get();
  }
}
