package io.jobprogress.jakarta.ws;

import io.jobprogress.core.AuthenticatedUser;
import io.jobprogress.core.CloseReason;
import io.jobprogress.core.TokenRejectedException;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handshake of the jobprogress endpoint: checks the {@code Origin} against the allow-list (a refused
 * origin gets 403, or 404 on Undertow), takes the token from {@code Authorization: Bearer}, from a
 * {@code bearer.<jwt>} entry of {@code Sec-WebSocket-Protocol} (browsers: the token stays out of URLs; only
 * {@value #SUBPROTOCOL} is negotiated, never the bearer entry) or from {@code ?token=}, verifies it with the
 * hub and leaves only the outcome (the
 * {@link AuthenticatedUser} or the {@link CloseReason} to refuse with) in the connection's user
 * properties: never the token. {@link JettyWebSocketHandler} applies the same checks through
 * {@link #verify} and {@link #negotiate}. Creates one {@link JobProgressEndpoint} per connection.
 *
 * <p>One instance per deployed endpoint; called concurrently by handshake threads; stateless apart from
 * its configuration. Verification is CPU-only (no network).
 */
final class HandshakeConfigurator extends ServerEndpointConfig.Configurator {
  /** The user property holding the handshake's outcome: see {@link #verify}. */
  static final String OUTCOME = "io.jobprogress.handshake";
  /** The real subprotocol a client offers next to its {@code bearer.<jwt>} entry. */
  static final String SUBPROTOCOL = "jobprogress.v1";
  private static final Logger log = LoggerFactory.getLogger(HandshakeConfigurator.class);

  private final JobProgressWebSocket socket;

  HandshakeConfigurator(JobProgressWebSocket socket) {
    this.socket = socket;
  }

  @Override
  public boolean checkOrigin(String originHeaderValue) {
    return originAllowed(socket, originHeaderValue);
  }

  /** Whether {@code origin} (null: none sent) may connect to {@code socket}; a refusal is logged. */
  static boolean originAllowed(JobProgressWebSocket socket, String origin) {
    boolean ok = socket.originAllowed(origin);
    if (!ok) {
      log.info("Connection refused: origin {} is not allowed", origin);
    }
    return ok;
  }

  @Override
  public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
    // the path only: the query string carries the token
    log.debug("New connection attempt on {}", request.getRequestURI().getPath());
    sec.getUserProperties().put(OUTCOME, verify(socket, tokenOf(request)));
  }

  /**
   * Verifies a handshake's token with the hub: the {@link AuthenticatedUser}, else the {@link CloseReason}
   * to close the connection with before any data frame (logged at info, never the token). Shared by both
   * transports.
   */
  static Object verify(JobProgressWebSocket socket, String token) {
    if (token == null || token.isEmpty()) {
      log.info("Connection refused: no token");
      return CloseReason.INVALID_TOKEN;
    }
    try {
      return socket.hub().authenticate(token);
    } catch (TokenRejectedException e) {
      log.info("Connection refused: {}", e.getMessage());
      return e.reason();
    } catch (RuntimeException e) {
      log.warn("Token verification failed unexpectedly", e);
      return CloseReason.SERVER_ERROR;
    }
  }

  private static String tokenOf(HandshakeRequest request) {
    List<String> fromQuery = request.getParameterMap().get("token");
    return BearerTokens.ofUpgrade(headers(request, "Authorization"), headers(request, "Sec-WebSocket-Protocol"),
        fromQuery == null || fromQuery.isEmpty() ? null : fromQuery.get(0));
  }

  /** See {@link #negotiate}. */
  @Override
  public String getNegotiatedSubprotocol(List<String> supported, List<String> requested) {
    return negotiate(supported, requested);
  }

  /** The first requested protocol that is supported and is not a bearer entry; "" for none. */
  static String negotiate(List<String> supported, List<String> requested) {
    for (String p : requested) {
      String name = p.trim();
      if (!BearerTokens.isSubprotocolEntry(name) && supported.contains(name)) {
        return name;
      }
    }
    return "";
  }

  private static List<String> headers(HandshakeRequest request, String name) {
    List<String> direct = request.getHeaders().get(name);
    if (direct != null) {
      return direct;
    }
    for (Map.Entry<String, List<String>> e : request.getHeaders().entrySet()) {
      if (name.equalsIgnoreCase(e.getKey())) {
        return e.getValue();
      }
    }
    return null;
  }

  @Override
  public <T> T getEndpointInstance(Class<T> endpointClass) throws InstantiationException {
    if (endpointClass != JobProgressEndpoint.class) {
      return super.getEndpointInstance(endpointClass);
    }
    return endpointClass.cast(new JobProgressEndpoint(socket));
  }
}
