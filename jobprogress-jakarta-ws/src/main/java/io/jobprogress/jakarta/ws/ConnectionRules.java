package io.jobprogress.jakarta.ws;

import io.jobprogress.core.AuthenticatedUser;
import io.jobprogress.core.CloseReason;
import io.jobprogress.core.HubSession;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules of one accepted WebSocket, written once for both transports ({@link JobProgressEndpoint} over
 * Jakarta, {@link JettyFrameHandler} over Jetty's core): a refused handshake is closed with its refusal's
 * code before any data frame and never registered; while the endpoint shuts down new connections get 1012;
 * otherwise the connection is registered with the hub and the {@link Supervisor}. Inbound: a text message
 * over {@link TransportSettings#maxFrameBytes()} closes with 1009 {@code message_too_big}, a binary one
 * with 1003 {@code unsupported_data} at its first fragment, every text message or pong counts as activity,
 * and the container's close unregisters the connection.
 *
 * <p>One instance per accepted connection, made by {@link #open}. Thread-safe: the fields are final; the
 * container calls the {@code on...} methods one frame at a time, and {@link #onContainerClose} once.
 */
final class ConnectionRules {
  private static final Logger log = LoggerFactory.getLogger(ConnectionRules.class);

  private final JobProgressWebSocket socket;
  private final SessionConnection connection;
  private final HubSession hubSession;
  private final int maxFrame;
  private final boolean accepted;

  private ConnectionRules(JobProgressWebSocket socket, SessionConnection connection, HubSession hubSession,
      int maxFrame, boolean accepted) {
    this.socket = socket;
    this.connection = connection;
    this.hubSession = hubSession;
    this.maxFrame = maxFrame;
    this.accepted = accepted;
  }

  /**
   * Opens the connection on {@code wire}, whose handshake ended in {@code outcome} (the
   * {@link AuthenticatedUser}, else the {@link CloseReason} to refuse with; null: no token). Returns null
   * when the connection was refused and closed without being registered; otherwise the rules to call for
   * its frames and its close ({@link #accepts()} false when the hub refused it, e.g. a connection limit:
   * it is closing then). Runs on the container thread that opens the connection.
   */
  static ConnectionRules open(JobProgressWebSocket socket, Wire wire, Object outcome) {
    if (!(outcome instanceof AuthenticatedUser user)) {
      wire.close(outcome instanceof CloseReason r ? r : CloseReason.INVALID_TOKEN, () -> { });
      return null;
    }
    Supervisor supervisor = socket.supervisor();
    if (supervisor.isShutDown()) {
      // the endpoint is closing or closed (with its hub): no new connections, clients come back later
      wire.close(CloseReason.RESTART, () -> { });
      return null;
    }
    TransportSettings settings = socket.transport();
    wire.accept(containerTextLimit(settings.maxFrameBytes()));
    SessionConnection conn = new SessionConnection(wire, user.userId(), settings.sendQueueCapacity(), supervisor);
    HubSession s = socket.hub().open(conn, user);
    conn.onClosed(s::onClose);
    boolean accepted = s.isOpen();
    if (accepted && !supervisor.watch(conn)) {
      conn.close(CloseReason.RESTART); // the endpoint closed while this connection opened
      accepted = false;
    }
    return new ConnectionRules(socket, conn, s, settings.maxFrameBytes(), accepted);
  }

  /** Whether the hub took the connection and the supervisor watches it: its frames are wanted. */
  boolean accepts() {
    return accepted;
  }

  /** The user owning the connection (logs). */
  String userId() {
    return connection.userId();
  }

  /** A whole text message from the client. */
  void onText(String text) {
    if (tooBig(text, maxFrame)) {
      refuseTooBig();
      return;
    }
    onCheckedText(text);
  }

  /**
   * A text message already known to be within the limit (see {@link #withinLimit}).
   */
  void onCheckedText(String text) {
    connection.touch();
    if (!connection.isClosed()) {
      hubSession.onText(text);
    }
  }

  /**
   * Whether a text message of {@code utf8Bytes} so far is within the limit; when not, the connection is
   * closed with 1009 {@code message_too_big} (a transport that sees fragments calls this for each one).
   */
  boolean withinLimit(long utf8Bytes) {
    if (utf8Bytes <= maxFrame) {
      return true;
    }
    refuseTooBig();
    return false;
  }

  private void refuseTooBig() {
    connection.touch();
    log.debug("Frame over {} bytes from user {}", maxFrame, connection.userId());
    connection.forceClose(CloseReason.MESSAGE_TOO_BIG);
  }

  /**
   * The text limit given to the container: twice the library's limit (bounded), so a message just over the
   * limit reaches {@link #onText} and is closed with the library's reason rather than the container's.
   * Tomcat allocates a buffer of this many chars per connection at its first text frame.
   */
  static int containerTextLimit(int maxFrameBytes) {
    return (int) Math.min(Integer.MAX_VALUE - 8, 2L * maxFrameBytes);
  }

  static boolean tooBig(String text, int maxBytes) {
    if (text.length() > maxBytes) {
      return true;
    }
    return text.length() * 3 > maxBytes && text.getBytes(StandardCharsets.UTF_8).length > maxBytes;
  }

  /** The first fragment of a binary message: the protocol is text. */
  void onBinary() {
    log.debug("Binary frame from user {}: closing, the protocol is text", connection.userId());
    connection.forceClose(CloseReason.UNSUPPORTED_DATA);
  }

  /** A pong from the client: the connection is not idle. */
  void onPong() {
    connection.touch();
  }

  /** The container reports the connection closed (either side closed it, or it broke). */
  void onContainerClose() {
    connection.closedByContainer();
    socket.supervisor().unwatch(connection);
    hubSession.onClose();
  }

  /** The container reports an error on the connection; the close follows. */
  static void onError(ConnectionRules rules, Throwable error) {
    log.debug("WebSocket error on a connection of user {}: {}", rules == null ? "-" : rules.userId(),
        String.valueOf(error));
  }
}
