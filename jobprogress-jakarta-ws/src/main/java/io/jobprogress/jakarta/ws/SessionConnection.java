package io.jobprogress.jakarta.ws;

import io.jobprogress.core.ClientConnection;
import io.jobprogress.core.CloseReason;
import io.jobprogress.core.OutboundFrame;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ClientConnection} over a {@link Wire} (a Jakarta {@code Session} or a Jetty core session), with
 * the outbound pipeline:
 * {@link #send} never blocks (it queues and returns); at most one asynchronous send is in flight (Tomcat
 * refuses a second); frames that wait go to a lazily allocated latest-wins {@link SendQueue}. The
 * {@link Supervisor} closes the connection with {@link CloseReason#SLOW_CONSUMER} when its queue stays
 * full, or one send stays unfinished, longer than the slow-consumer timeout.
 *
 * <p>Thread-safe: all state is guarded by this object's lock, which is never held while calling the
 * container. State is a few fields until a frame has to wait. {@link #send} runs on any thread (delivery,
 * the hub's timer, the connection's inbound thread); the pump continues on the container's send-completion
 * thread; {@link Wire#close} runs on the supervisor's close pool. {@link #finished()} completes once
 * the close was handed to the container or the container reported the connection closed: shutdown waits
 * on it.
 */
final class SessionConnection implements ClientConnection {
  private static final Logger log = LoggerFactory.getLogger(SessionConnection.class);

  private final Wire wire;
  private final String id;
  private final String userId;
  private final int capacity;
  private final Supervisor supervisor;
  // completed once by whichever thread closes the session or hears it closed (thread-safe itself)
  private final CompletableFuture<Void> finished = new CompletableFuture<>();
  // set once by the container thread in onOpen, run by whichever thread gives the connection up (volatile)
  private volatile Runnable onClosed = () -> { };
  private SendQueue queue; // guarded by this; null until a frame has to wait
  private boolean sending; // guarded by this: one async send in flight
  private boolean pumping; // guarded by this: one thread is in pump()
  private boolean closed; // guarded by this
  private CloseReason closeAfterDrain; // guarded by this
  private long sendStartedNanos; // guarded by this
  private long fullSinceNanos; // guarded by this
  private long closeRequestedNanos; // guarded by this
  // what the wire calls when a send finished: one object per connection, not one per frame
  private final Consumer<Throwable> onSent = this::onSent;
  // last frame in either direction; written without the lock (a stale read only delays an idle close)
  private volatile long lastActivityNanos = System.nanoTime();

  SessionConnection(Wire wire, String userId, int capacity, Supervisor supervisor) {
    this.wire = wire;
    this.id = wire.id();
    this.userId = userId;
    this.capacity = capacity;
    this.supervisor = supervisor;
  }

  /** Runs once when this side gives the connection up (slow consumer, failed send): unregisters it. */
  void onClosed(Runnable callback) {
    this.onClosed = callback;
  }

  /** The wire this connection sends through. */
  Wire wire() {
    return wire;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String userId() {
    return userId;
  }

  /** See {@link ClientConnection#send}. */
  @Override
  public void send(OutboundFrame frame) {
    lastActivityNanos = System.nanoTime();
    OutboundFrame first = null;
    boolean refused = false;
    synchronized (this) {
      if (closed || closeAfterDrain != null) {
        return;
      }
      if (!sending && !pumping && (queue == null || queue.isEmpty())) {
        // the common case: nothing waits, send at once without allocating a queue
        first = frame;
        sending = true;
        pumping = true;
        sendStartedNanos = System.nanoTime();
      } else {
        if (queue == null) {
          queue = new SendQueue(capacity);
        }
        SendQueue.Offer offer = queue.offer(frame);
        supervisor.metrics().offered(offer, queue.size());
        trackFull();
        refused = offer == SendQueue.Offer.REFUSED;
        if (!refused) {
          if (sending || pumping) {
            return;
          }
          pumping = true;
        }
      }
    }
    if (refused) {
      log.info("Closing slow consumer of user {}: {} frames that must be sent are waiting", userId, capacity);
      supervisor.metrics().slowConsumerClosed();
      forceClose(CloseReason.SLOW_CONSUMER);
      return;
    }
    pump(first);
  }

  /** Sends {@code next} (if any), then whatever waits, until a send is in flight or nothing waits. */
  private void pump(OutboundFrame next) {
    CloseReason drainedClose = null;
    while (true) {
      if (next != null) {
        try {
          wire.sendText(next.text(), onSent);
        } catch (RuntimeException e) {
          onSent(e);
        }
      }
      synchronized (this) {
        if (sending || closed) {
          pumping = false;
          return;
        }
        next = queue == null ? null : queue.poll();
        trackFull();
        if (next == null) {
          pumping = false;
          if (closeAfterDrain != null) {
            drainedClose = closeAfterDrain;
            closed = true;
          }
          break;
        }
        sending = true;
        sendStartedNanos = System.nanoTime();
      }
    }
    if (drainedClose != null) {
      closeSession(drainedClose);
    }
  }

  /** A send finished: {@code failure} is null when the frame was written. */
  private void onSent(Throwable failure) {
    boolean resume;
    synchronized (this) {
      sending = false;
      if (failure != null) {
        closed = true;
        if (queue != null) {
          queue.clear();
        }
      }
      resume = !pumping && !closed;
      if (resume) {
        pumping = true;
      }
    }
    if (failure != null) {
      log.debug("Send to a connection of user {} failed: {}", userId, String.valueOf(failure));
      onClosed.run();
      closeSession(CloseReason.SERVER_ERROR);
    } else if (resume) {
      pump(null);
    }
  }

  private void trackFull() {
    if (queue != null && queue.isFull()) {
      if (fullSinceNanos == 0) {
        fullSinceNanos = System.nanoTime();
      }
    } else {
      fullSinceNanos = 0;
    }
  }

  /** Closes after the frames already waiting are sent; see {@link ClientConnection#close}. */
  @Override
  public void close(CloseReason reason) {
    synchronized (this) {
      if (closed || closeAfterDrain != null) {
        return;
      }
      if (sending || pumping || (queue != null && !queue.isEmpty())) {
        closeAfterDrain = reason;
        closeRequestedNanos = System.nanoTime();
        return;
      }
      closed = true;
    }
    closeSession(reason);
  }

  /**
   * Drops what waits and closes now. Unregisters first, so the connection is out of the registry before
   * its close frame can reach the client (the close runs on another thread).
   */
  void forceClose(CloseReason reason) {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      queue = null;
    }
    onClosed.run();
    closeSession(reason);
  }

  /** The container reported the session closed: drop what waits. */
  void closedByContainer() {
    synchronized (this) {
      closed = true;
      queue = null;
    }
    finished.complete(null);
  }

  /** Hands the close to the supervisor's close pool; {@link #finished()} completes after it. */
  private void closeSession(CloseReason reason) {
    supervisor.closeSession(wire, reason, () -> finished.complete(null));
  }

  /**
   * Completes once this connection's close was handed to the container (after the frames queued before
   * it), or the container reported the connection closed. Never fails.
   */
  CompletableFuture<Void> finished() {
    return finished;
  }

  /** The client sent something (a frame or a pong): the connection is not idle. */
  void touch() {
    lastActivityNanos = System.nanoTime();
  }

  /** How long nothing was sent or received, as of {@code nowNanos}. */
  long idleNanos(long nowNanos) {
    return nowNanos - lastActivityNanos;
  }

  /** Frames waiting now (not counting the one in flight). */
  synchronized int queuedFrames() {
    return queue == null ? 0 : queue.size();
  }

  synchronized boolean isClosed() {
    return closed;
  }

  /**
   * Called by the supervisor's sweep: the reason to close this connection with when it is stalled past
   * {@code timeoutNanos} (a send unfinished, the queue full, or a requested close not drained), else null.
   */
  synchronized CloseReason stalledReason(long nowNanos, long timeoutNanos) {
    if (closed) {
      return null;
    }
    if (closeAfterDrain != null && nowNanos - closeRequestedNanos > timeoutNanos) {
      return closeAfterDrain;
    }
    boolean stuckSend = sending && nowNanos - sendStartedNanos > timeoutNanos;
    boolean fullTooLong = fullSinceNanos != 0 && nowNanos - fullSinceNanos > timeoutNanos;
    return stuckSend || fullTooLong ? CloseReason.SLOW_CONSUMER : null;
  }
}
