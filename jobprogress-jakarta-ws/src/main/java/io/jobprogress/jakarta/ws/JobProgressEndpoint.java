package io.jobprogress.jakarta.ws;

import io.jobprogress.core.AuthenticatedUser;
import io.jobprogress.core.CloseReason;
import io.jobprogress.core.HubSession;
import io.jobprogress.core.HubSettings;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobprogress WebSocket endpoint: one instance per connection, created by the handshake
 * configurator of a {@link JobProgressWebSocket}. Thin by design: it refuses a connection whose handshake
 * carried no valid token (close 1008 before any data frame, never registered), applies the frame-size
 * and idle limits, and hands every text frame to the core's {@link HubSession}, which speaks the protocol.
 *
 * <p>Called by the container: {@code onOpen}, then the message handler one frame at a time, then
 * {@code onClose}; {@code onError} may come in between and is logged at debug.
 */
public final class JobProgressEndpoint extends Endpoint {
  private static final Logger log = LoggerFactory.getLogger(JobProgressEndpoint.class);

  private final JobProgressWebSocket socket;
  private volatile SessionConnection connection;
  private volatile HubSession hubSession;

  JobProgressEndpoint(JobProgressWebSocket socket) {
    this.socket = socket;
  }

  @Override
  public void onOpen(Session session, EndpointConfig config) {
    Object user = session.getUserProperties().get(HandshakeConfigurator.USER);
    if (!(user instanceof AuthenticatedUser authenticated)) {
      Object refusal = session.getUserProperties().get(HandshakeConfigurator.REFUSAL);
      Supervisor.closeNow(session, refusal instanceof CloseReason r ? r : CloseReason.INVALID_TOKEN);
      return;
    }
    HubSettings settings = socket.hub().settings();
    int maxFrame = settings.maxFrameBytes();
    session.setMaxTextMessageBufferSize(maxFrame);
    session.setMaxIdleTimeout(settings.idleTimeout().toMillis());
    SessionConnection conn = new SessionConnection(session, authenticated.userId(),
        settings.sendQueueCapacity(), socket.supervisor());
    connection = conn;
    HubSession s = socket.hub().open(conn, authenticated);
    hubSession = s;
    conn.onClosed(s::onClose);
    if (s.isOpen()) {
      socket.supervisor().watch(conn);
      session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> onText(text, maxFrame));
    }
  }

  private void onText(String text, int maxFrame) {
    if (tooBig(text, maxFrame)) {
      // the container's buffer limit normally fires first; this holds where it counts differently
      log.debug("Frame over {} bytes from user {}", maxFrame, connection.userId());
      connection.forceClose(CloseReason.MESSAGE_TOO_BIG);
      return;
    }
    hubSession.onText(text);
  }

  static boolean tooBig(String text, int maxBytes) {
    if (text.length() > maxBytes) {
      return true;
    }
    return text.length() * 3 > maxBytes && text.getBytes(StandardCharsets.UTF_8).length > maxBytes;
  }

  @Override
  public void onClose(Session session, jakarta.websocket.CloseReason closeReason) {
    SessionConnection conn = connection;
    if (conn != null) {
      conn.closedByContainer();
      socket.supervisor().unwatch(conn);
    }
    HubSession s = hubSession;
    if (s != null) {
      s.onClose();
    }
  }

  @Override
  public void onError(Session session, Throwable error) {
    SessionConnection conn = connection;
    log.debug("WebSocket error on a connection of user {}: {}", conn == null ? "-" : conn.userId(),
        String.valueOf(error));
  }
}
