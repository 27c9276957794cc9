package io.jobprogress.jakarta.ws;

import io.jobprogress.core.AuthenticatedUser;
import io.jobprogress.core.CloseReason;
import io.jobprogress.core.HubSession;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.PongMessage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobprogress WebSocket endpoint: one instance per connection, created by the handshake
 * configurator of a {@link JobProgressWebSocket}. Thin by design: it refuses a connection whose handshake
 * carried no valid token (close 1008 before any data frame, never registered), applies the frame-size
 * limit, refuses binary frames, and hands every text frame to the core's {@link HubSession}, which speaks
 * the protocol.
 *
 * <p>Closes are the library's own in every container: a text frame over
 * {@link TransportSettings#maxFrameBytes()} closes with 1009 {@code message_too_big} (the container's own text
 * limit is set to {@link #containerTextLimit twice that}, so the library sees the frame first; only a
 * frame bigger still meets the container's limit and reason text), a binary frame with 1003
 * {@code unsupported_data} at its first fragment, and the idle timeout is the {@link Supervisor}'s
 * ({@code idle_timeout}); the container's own idle timer is switched off.
 *
 * <p>Called by the container: {@code onOpen}, then the message handler one frame at a time, then
 * {@code onClose}; {@code onError} may come in between and is logged at debug.
 */
public final class JobProgressEndpoint extends Endpoint {
  private static final Logger log = LoggerFactory.getLogger(JobProgressEndpoint.class);

  private final JobProgressWebSocket socket;
  // written once in onOpen (container thread), read by the session's later callbacks (volatile)
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
    if (socket.supervisor().isShutDown()) {
      // the endpoint is closing or closed (with its hub): no new connections, clients come back later
      Supervisor.closeNow(session, CloseReason.RESTART);
      return;
    }
    TransportSettings settings = socket.transport();
    int maxFrame = settings.maxFrameBytes();
    session.setMaxTextMessageBufferSize(containerTextLimit(maxFrame));
    // 0: no container idle timer (Jetty's default would close after 30 s). Never a positive value: Tyrus
    // schedules its idle check with the timeout as of session creation (0 there: at once), and that check,
    // running after a positive value was set here, closes the fresh session "because of the idle timeout".
    session.setMaxIdleTimeout(0);
    SessionConnection conn = new SessionConnection(session, authenticated.userId(),
        settings.sendQueueCapacity(), socket.supervisor());
    connection = conn;
    HubSession s = socket.hub().open(conn, authenticated);
    hubSession = s;
    conn.onClosed(s::onClose);
    if (s.isOpen()) {
      if (!socket.supervisor().watch(conn)) {
        conn.close(CloseReason.RESTART); // the endpoint closed while this connection opened
        return;
      }
      session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> onText(text, maxFrame));
      // Partial: refused at the first fragment, before the container buffers a whole binary message
      session.addMessageHandler(ByteBuffer.class, (MessageHandler.Partial<ByteBuffer>) (data, last) -> onBinary());
      session.addMessageHandler(PongMessage.class, (MessageHandler.Whole<PongMessage>) pong -> conn.touch());
    }
  }

  /**
   * The text buffer size given to the container: twice the library's limit (bounded), so a frame just over
   * the limit reaches {@link #onText} and is closed with the library's reason rather than the container's.
   * Tomcat allocates a buffer of this many chars per connection at its first text frame.
   */
  static int containerTextLimit(int maxFrameBytes) {
    return (int) Math.min(Integer.MAX_VALUE - 8, 2L * maxFrameBytes);
  }

  private void onBinary() {
    log.debug("Binary frame from user {}: closing, the protocol is text", connection.userId());
    connection.forceClose(CloseReason.UNSUPPORTED_DATA);
  }

  private void onText(String text, int maxFrame) {
    connection.touch();
    if (tooBig(text, maxFrame)) {
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
