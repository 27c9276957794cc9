package io.jobprogress.jakarta.ws;

import io.jobprogress.core.OutboundFrame;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;

/**
 * The frames waiting to be sent on one connection: a FIFO of slots plus a map from job id to the slot of
 * that job's waiting replaceable (non-terminal) update, so a newer update overwrites the older one in
 * place (latest wins, by seq: an update whose seq is not higher than the waiting one's in the same epoch is
 * dropped as stale, so a late older update never replaces a newer one) instead of queueing behind it.
 *
 * <p>Bounded: never holds more than {@code capacity} frames. When full, a replaceable update for a job
 * with no waiting slot is dropped (its job's next update or terminal state supersedes it); a frame that
 * must be sent (terminal update, control, error) evicts the oldest waiting replaceable update, and when
 * there is none it is refused so the caller closes the connection rather than lose it silently.
 *
 * <p>Not thread-safe: the owning {@link SessionConnection} guards it with its lock. Allocated lazily, the
 * first time a frame has to wait.
 */
final class SendQueue {

  /** What happened to an offered frame. */
  enum Offer {
    /** Appended at the tail. */
    QUEUED,
    /** Overwrote the same job's waiting replaceable update. */
    REPLACED,
    /** Not queued: the same job's waiting update is newer by seq (a late older update). */
    STALE,
    /** Not queued: full, and the frame was a replaceable update. */
    DROPPED,
    /** Appended after evicting the oldest waiting replaceable update. */
    EVICTED,
    /** Not queued: full of frames that must be sent; the connection has to be closed. */
    REFUSED
  }

  private static final class Slot {
    OutboundFrame frame; // guarded by the owning SessionConnection

    Slot(OutboundFrame frame) {
      this.frame = frame;
    }
  }

  private final int capacity;
  private final ArrayDeque<Slot> fifo = new ArrayDeque<>(8); // guarded by the owning SessionConnection
  private final HashMap<String, Slot> waitingUpdate = new HashMap<>(8); // guarded by the owning SessionConnection

  SendQueue(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive, was " + capacity);
    }
    this.capacity = capacity;
  }

  Offer offer(OutboundFrame frame) {
    if (frame.replaceable()) {
      Slot slot = waitingUpdate.get(frame.jobId());
      if (slot != null) {
        if (!slot.frame.supersededBy(frame)) {
          return Offer.STALE;
        }
        slot.frame = frame;
        return Offer.REPLACED;
      }
      if (isFull()) {
        return Offer.DROPPED;
      }
      slot = new Slot(frame);
      fifo.addLast(slot);
      waitingUpdate.put(frame.jobId(), slot);
      return Offer.QUEUED;
    }
    if (frame.jobId() != null) {
      // later updates of this job must queue behind this frame, never overtake it
      waitingUpdate.remove(frame.jobId());
    }
    Offer result = Offer.QUEUED;
    if (isFull()) {
      if (!evictOldestUpdate()) {
        return Offer.REFUSED;
      }
      result = Offer.EVICTED;
    }
    fifo.addLast(new Slot(frame));
    return result;
  }

  /** The next frame to send, or null. */
  OutboundFrame poll() {
    Slot slot = fifo.pollFirst();
    if (slot == null) {
      return null;
    }
    if (slot.frame.replaceable()) {
      waitingUpdate.remove(slot.frame.jobId(), slot);
    }
    return slot.frame;
  }

  int size() {
    return fifo.size();
  }

  boolean isEmpty() {
    return fifo.isEmpty();
  }

  boolean isFull() {
    return fifo.size() >= capacity;
  }

  void clear() {
    fifo.clear();
    waitingUpdate.clear();
  }

  private boolean evictOldestUpdate() {
    for (Iterator<Slot> it = fifo.iterator(); it.hasNext(); ) {
      Slot slot = it.next();
      if (slot.frame.replaceable()) {
        it.remove();
        waitingUpdate.remove(slot.frame.jobId(), slot);
        return true;
      }
    }
    return false;
  }
}
