package io.jobprogress.examples.demo;

import io.jobprogress.core.ClientConnection;
import io.jobprogress.core.CloseReason;
import io.jobprogress.core.OutboundFrame;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.Session;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ClientConnection} over a Jakarta WebSocket {@link Session}: {@link #send} and {@link #close}
 * append to a bounded per-connection queue that one task at a time drains on the shared {@code senders}
 * executor with blocking sends, so frames keep their order and callers never block. A full queue closes
 * the connection with {@link CloseReason#SLOW_CONSUMER}. Thread-safe.
 *
 * <p>TODO(lead): the demo's stand-in for the jakarta-ws module's connection; remove with {@link WebSocketWiring}'s
 * stand-in endpoint.
 */
final class SessionConnection implements ClientConnection {
  private static final Logger log = LoggerFactory.getLogger(SessionConnection.class);

  private final Session session;
  private final String userId;
  private final Executor senders;
  private final int capacity;
  private final ArrayDeque<Object> queue = new ArrayDeque<>();
  private boolean draining;
  private boolean closing;

  SessionConnection(Session session, String userId, Executor senders, int capacity) {
    this.session = session;
    this.userId = userId;
    this.senders = senders;
    this.capacity = capacity;
  }

  @Override
  public String id() {
    return session.getId();
  }

  @Override
  public String userId() {
    return userId;
  }

  @Override
  public void send(OutboundFrame frame) {
    boolean overflow = false;
    synchronized (this) {
      if (closing) {
        return;
      }
      if (queue.size() >= capacity) {
        overflow = true;
      } else {
        queue.add(frame);
        scheduleLocked();
      }
    }
    if (overflow) {
      log.info("Closing slow connection {} of user {}: {} frames waiting", id(), userId, capacity);
      close(CloseReason.SLOW_CONSUMER);
    }
  }

  @Override
  public void close(CloseReason reason) {
    synchronized (this) {
      if (closing) {
        return;
      }
      closing = true;
      queue.add(reason);
      scheduleLocked();
    }
  }

  private void scheduleLocked() {
    if (!draining) {
      draining = true;
      senders.execute(this::drain);
    }
  }

  private void drain() {
    while (true) {
      Object next;
      synchronized (this) {
        next = queue.poll();
        if (next == null) {
          draining = false;
          return;
        }
      }
      try {
        if (next instanceof OutboundFrame f) {
          if (session.isOpen()) {
            session.getBasicRemote().sendText(f.text());
          }
        } else {
          CloseReason r = (CloseReason) next;
          if (session.isOpen()) {
            session.close(new jakarta.websocket.CloseReason(CloseCodes.getCloseCode(r.code()), r.reason()));
          }
        }
      } catch (IOException | RuntimeException e) {
        log.debug("Send to connection {} failed: {}", id(), e.toString());
      }
    }
  }
}
