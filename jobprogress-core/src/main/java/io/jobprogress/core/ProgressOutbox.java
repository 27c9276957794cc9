package io.jobprogress.core;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.function.BiFunction;

/**
 * The progress side of one connection: every progress frame the hub sends to it passes here, so the
 * connection sees strictly increasing seqs per job within an epoch (v1.1).
 *
 * <ul>
 *   <li><b>Seq filter.</b> Remembers the last (epoch, seq) sent per subscribed job and drops anything not
 *       newer in the same epoch; an event of another epoch resets it (and when it arrives above seq 1, the new
 *       epoch's earlier events are filled from history first, as for a gap).
 *   <li><b>Gap fill.</b> A live event more than one seq ahead is preceded by the missing events from the
 *       store's history, when the history still holds them from the next seq on; else it is sent alone.
 *   <li><b>Batching</b> (opt-in): progress waits up to the window and leaves as one {@code batch} frame,
 *       coalesced per job (a newer update replaces a waiting one, except a terminal or replayed one), per-job
 *       order kept. The flush runs on the hub's one timer thread.
 * </ul>
 *
 * <p>Lifecycle: created with its {@link HubSession}, {@link #close}d with it. Threads: every method holds
 * this object's lock, and the hub holds it across a whole subscribe, so a live event never interleaves a
 * replay. {@link ClientConnection#send} never blocks, so holding the lock while sending is cheap; gap fill
 * reads the store (one round trip) under it. Remembered state is bounded by the connection's subscriptions.
 */
final class ProgressOutbox {
  /** Most events one batch frame carries; more flush at once. */
  static final int MAX_BATCH_EVENTS = 256;

  /**
   * What was last sent of a subscribed job. Updated in place, keeping its epoch's string while the epoch
   * stays the same, so a delivered frame leaves no new object behind in the outbox's long-lived state.
   * With a new record per frame, 5,000 connections getting an update every 5 s kept ~250 KB of such records alive
   * through every young collection (copied each time, promoted when the survivor space overflowed); in
   * place, ~10 KB survive (docs/benchmarks.md, "Load results on a sixth machine"). Guarded by the
   * outbox's lock.
   */
  private static final class Last {
    private String epoch;
    private long seq;

    Last(String epoch, long seq) {
      this.epoch = epoch;
      this.seq = seq;
    }

    void moveTo(ProgressEvent e) {
      if (!Objects.equals(epoch, e.epoch())) {
        epoch = e.epoch();
      }
      seq = e.seq();
    }
  }

  private record Pending(ProgressEvent event, boolean keep) {}

  /** A subscribed job for which nothing has been sent yet; never moved (the first send replaces it). */
  private static final Last NOTHING = new Last(null, -1);

  private final ClientConnection conn;
  private final SnapshotStore store;
  private final Clock clock;
  private final BiFunction<Runnable, Long, ScheduledFuture<?>> scheduler;
  // every mutable field below is guarded by this: delivery threads, the connection's inbound thread, the
  // hub's timer thread (batch flush) and close() all take the lock
  // What was last sent per subscribed job. Most connections watch one job, so the first lives in two
  // fields and only the others in a map: a delivered frame then touches no map table and no map node, each
  // a likely cache miss with a thousand connections' state in between (docs/benchmarks.md, "Load results
  // on a tenth machine"). A job is in at most one of the two places. All guarded by this.
  private String job0;
  private Last last0;
  private Map<String, Last> more; // null until a second job is subscribed at once
  private long batchWindowMs; // guarded by this; 0: batching off
  // guarded by this; null until batching first holds an event (most connections never batch)
  private Map<String, List<Pending>> pending;
  private int pendingCount; // guarded by this
  private ScheduledFuture<?> flush; // guarded by this
  private boolean closed; // guarded by this

  ProgressOutbox(ClientConnection conn, SnapshotStore store, Clock clock,
      BiFunction<Runnable, Long, ScheduledFuture<?>> scheduler) {
    this.conn = conn;
    this.store = store;
    this.clock = clock;
    this.scheduler = scheduler;
  }

  /** The job is (re)subscribed and the client's position is unknown: the next event of it is sent. */
  synchronized void subscribedFresh(String jobId) {
    remember(jobId, NOTHING);
    dropPending(jobId);
  }

  /** The job is (re)subscribed by a resume: the client holds everything up to {@code seq} of {@code epoch}. */
  synchronized void subscribedAt(String jobId, String epoch, long seq) {
    remember(jobId, new Last(epoch, seq));
    dropPending(jobId);
  }

  /** The job is unsubscribed: forget it and drop its waiting updates, so nothing more leaves for it. */
  synchronized void unsubscribed(String jobId) {
    forget(jobId);
    dropPending(jobId);
  }

  /**
   * Sends a live or catch-up event of a subscribed job, filling a gap first; drops it when not newer or the
   * job is not subscribed. {@code frame} is the event's encoded frame when the caller has one to share.
   */
  synchronized boolean offerLive(ProgressEvent e, OutboundFrame frame) {
    Last l = find(e.jobId());
    if (l == null || !newer(l, e)) {
      return false;
    }
    if (l != NOTHING && Objects.equals(l.epoch, e.epoch()) && e.seq() > l.seq + 1) {
      fillGap(e.jobId(), l.epoch, l.seq, e.seq());
    } else if (l != NOTHING && !Objects.equals(l.epoch, e.epoch()) && e.seq() > 1) {
      // the job started a new epoch while this connection watched it (a store restarted empty) and its
      // first events never arrived live (the subscriber was still reconnecting): fill them from seq 1
      fillGap(e.jobId(), e.epoch(), 0, e.seq());
    }
    emit(e, frame, false);
    return true;
  }

  /** Sends replayed events exactly (never coalesced away), skipping any not newer. */
  synchronized void offerReplay(List<ProgressEvent> events) {
    for (ProgressEvent e : events) {
      Last l = find(e.jobId());
      if (l == null || newer(l, e)) {
        emit(e, null, true);
      }
    }
  }

  /** Sends a {@code sync} answer's event: filtered like live ones when the job is subscribed, else sent. */
  synchronized boolean offerSync(ProgressEvent e) {
    Last l = find(e.jobId());
    if (l != null && !newer(l, e)) {
      return false;
    }
    emit(e, null, false);
    return true;
  }

  /** Turns batching on with {@code windowMs}, or off (0) after flushing what waits. */
  synchronized void batching(long windowMs) {
    if (windowMs == 0) {
      flushNow();
    }
    batchWindowMs = windowMs;
  }

  /** Sends what waits for a batch now (before a frame that must follow it, such as {@code synced}). */
  synchronized void flushNow() {
    if (flush != null) {
      flush.cancel(false);
      flush = null;
    }
    if (pendingCount == 0 || closed) {
      return;
    }
    List<ProgressEvent> events = new ArrayList<>(pendingCount);
    for (List<Pending> job : pending.values()) { // pendingCount > 0: pending exists
      for (Pending p : job) {
        events.add(p.event);
      }
    }
    pending.clear();
    pendingCount = 0;
    conn.send(OutboundFrame.control(ProtocolCodec.batch(events, clock.instant())));
  }

  /** The connection ended: cancel the flush timer and drop what waits. */
  synchronized void close() {
    closed = true;
    if (flush != null) {
      flush.cancel(false);
      flush = null;
    }
    pending = null;
    pendingCount = 0;
    job0 = null;
    last0 = null;
    more = null;
  }

  /** What was last sent of {@code jobId}, or null when it is not subscribed. */
  private Last find(String jobId) {
    if (jobId.equals(job0)) {
      return last0;
    }
    return more == null ? null : more.get(jobId);
  }

  /** Sets what was last sent of {@code jobId}: where the job already is, else in the first free place. */
  private void remember(String jobId, Last l) {
    if (jobId.equals(job0)) {
      last0 = l;
    } else if (more != null && more.containsKey(jobId)) {
      more.put(jobId, l);
    } else if (job0 == null) {
      job0 = jobId;
      last0 = l;
    } else {
      if (more == null) {
        more = new HashMap<>();
      }
      more.put(jobId, l);
    }
  }

  /** Forgets {@code jobId}. */
  private void forget(String jobId) {
    if (jobId.equals(job0)) {
      job0 = null;
      last0 = null;
    } else if (more != null) {
      more.remove(jobId);
    }
  }

  private static boolean newer(Last l, ProgressEvent e) {
    return l == NOTHING || !Objects.equals(l.epoch, e.epoch()) || e.seq() > l.seq;
  }

  /**
   * Sends the stored events of {@code epoch} after {@code afterSeq} and before {@code beforeSeq}, as long
   * as they follow on one from the other.
   */
  private void fillGap(String jobId, String epoch, long afterSeq, long beforeSeq) {
    List<ProgressEvent> history;
    try {
      history = store.history(jobId, afterSeq);
    } catch (RuntimeException ex) {
      return; // the store is away: the newer event alone still moves the client forward
    }
    long want = afterSeq + 1;
    for (ProgressEvent h : history) {
      if (h.seq() != want || h.seq() >= beforeSeq || !Objects.equals(h.epoch(), epoch)
          || !h.userId().equals(conn.userId())) {
        return; // the history no longer holds the next one (or it is done): send the newer event alone
      }
      emit(h, null, false);
      want++;
    }
  }

  private void emit(ProgressEvent e, OutboundFrame frame, boolean keep) {
    Last l = find(e.jobId());
    if (l == NOTHING) {
      remember(e.jobId(), new Last(e.epoch(), e.seq()));
    } else if (l != null) {
      l.moveTo(e);
    }
    if (batchWindowMs == 0) {
      conn.send(frame != null ? frame : ProtocolCodec.progressFrame(e));
      return;
    }
    if (pending == null) {
      pending = new LinkedHashMap<>();
    }
    List<Pending> job = pending.computeIfAbsent(e.jobId(), k -> new ArrayList<>(2));
    Pending tail = job.isEmpty() ? null : job.get(job.size() - 1);
    if (tail != null && !tail.keep && !tail.event.isTerminal() && Objects.equals(tail.event.epoch(), e.epoch())) {
      job.set(job.size() - 1, new Pending(e, keep)); // latest wins; the filter made it newer
    } else {
      job.add(new Pending(e, keep));
      pendingCount++;
    }
    if (pendingCount >= MAX_BATCH_EVENTS) {
      flushNow();
    } else if (flush == null && !closed) {
      flush = scheduler.apply(this::flushNow, batchWindowMs);
    }
  }

  private void dropPending(String jobId) {
    List<Pending> dropped = pending == null ? null : pending.remove(jobId);
    if (dropped != null) {
      pendingCount -= dropped.size();
    }
  }
}
