package io.jobprogress.redis;

import io.jobprogress.core.Broadcaster;
import io.jobprogress.core.ProgressEvent;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands events to the hub's listener one at a time, dropping for each tracked job (a job of interest)
 * what is not newer than the last event delivered in the same epoch. Live events (reader thread) and
 * re-delivered snapshots (ops thread) both pass here, so a snapshot read before a newer live event
 * arrived can never overtake it. A listener that throws is logged; delivery goes on.
 *
 * <p>The gate also holds the set of tracked jobs itself ({@link #track}, {@link #untrack}): one map whose
 * keys are the jobs of interest and whose values are what last passed for each, so a delivered event costs
 * one lookup for both questions (is the job of interest, what passed last), and untracking a job drops its
 * state with it.
 *
 * <p>Thread-safe: {@link #deliver} holds this object's lock while the listener (the hub's {@code deliver})
 * runs, so deliveries never overlap; the listener must not block. Tracking changes (the hub's threads) take
 * no lock: the map is concurrent, and a delivery that still holds a just-untracked job's state only updates
 * an entry no longer in the map.
 */
final class DeliveryGate {
  private static final Logger log = LoggerFactory.getLogger(DeliveryGate.class);

  /** An epoch and seq: what a snapshot read handed out ({@link Subscriber}). */
  record Seen(String epoch, long seq) {}

  /**
   * The last event of a job that passed: its epoch and seq. Updated in place, keeping the epoch's string
   * while it stays the same, so a delivered event leaves no new object behind in the long-lived map (see
   * {@code ProgressOutbox.Last}). Made by {@link #track} (published through the concurrent map), then read
   * and written only under the gate's lock. It has the same shape as that class but is kept apart on purpose:
   * that one is private to jobprogress-core, and other modules may not use core's internal packages, so
   * sharing would make a mutable holder public API for eight lines.
   */
  private static final class Passed {
    private String epoch;
    private long seq;

    Passed(String epoch, long seq) {
      this.epoch = epoch;
      this.seq = seq;
    }
  }

  /**
   * The tracked jobs, each with the last event that passed (null epoch and seq 0 until one did). Keys are
   * added and removed by the hub's threads ({@link #track}, {@link #untrack}) on a concurrent map; values are
   * read and written under this object's lock ({@link #deliver}) only.
   */
  private final ConcurrentHashMap<String, Passed> tracked = new ConcurrentHashMap<>();
  /** The tracked jobs: a read-only live view of {@link #tracked}'s keys (weakly consistent iteration). */
  private final Set<String> trackedJobs = Collections.unmodifiableSet(tracked.keySet());
  private final AtomicLong duplicates = new AtomicLong();
  // set once before the threads start (Subscriber.start), read by the delivering threads (volatile)
  private volatile Broadcaster.Listener listener = e -> { };

  void listener(Broadcaster.Listener l) {
    listener = l;
  }

  /**
   * Starts tracking {@code jobId} (it became of interest), with nothing passed yet.
   *
   * @return whether it was not tracked before
   */
  boolean track(String jobId) {
    return tracked.putIfAbsent(jobId, new Passed(null, 0)) == null;
  }

  /**
   * Stops tracking {@code jobId} (no longer of interest) and drops what passed for it.
   *
   * @return whether it was tracked
   */
  boolean untrack(String jobId) {
    return tracked.remove(jobId) != null;
  }

  /** The tracked jobs: a read-only live view; {@code contains} is one lookup, iteration weakly consistent. */
  Set<String> trackedJobs() {
    return trackedJobs;
  }

  /** Delivers {@code e} unless its job is tracked and it is not newer than what was delivered. */
  synchronized void deliver(ProgressEvent e) {
    Passed s = e.seq() > 0 ? tracked.get(e.jobId()) : null;
    if (s != null) {
      if (s.seq == 0) {
        s.epoch = e.epoch();
        s.seq = e.seq();
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

  long duplicates() {
    return duplicates.get();
  }
}
