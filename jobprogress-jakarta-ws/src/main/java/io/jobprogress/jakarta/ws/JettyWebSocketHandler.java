package io.jobprogress.jakarta.ws;

import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.server.Handshaker;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobprogress endpoint on Jetty 12's WebSocket core, without the Jakarta WebSocket layer: a lighter
 * transport for Jetty hosts (no servlet objects kept per connection, no Jakarta encoders and decoders).
 * The handshake and every per-connection rule are the Jakarta endpoint's ({@link HandshakeConfigurator},
 * {@link ConnectionRules}); only the wire differs. Needs {@code org.eclipse.jetty.websocket:
 * jetty-websocket-core-server} at run time (an optional dependency of this module): hosts that do not use
 * this class never load a Jetty type.
 *
 * <pre>{@code
 * JobProgressWebSocket ws = JobProgressWebSocket.builder(hub).fromConfig(System.getenv()).build();
 * WebSocketUpgradeHandler upgrade = JettyWebSocketHandler.of(ws);  // maps ws.path()
 * upgrade.setHandler(appHandlers);                                   // everything else
 * server.setHandler(upgrade);
 * }</pre>
 *
 * <p>Handshake: a refused {@code Origin} gets HTTP 403; the token comes from {@code Authorization: Bearer},
 * a {@code bearer.<jwt>} entry of {@code Sec-WebSocket-Protocol} (only {@value HandshakeConfigurator#SUBPROTOCOL}
 * is negotiated) or {@code ?token=}; a missing or bad token upgrades and is closed with its 1008 reason
 * before any frame. The token is neither logged nor kept; the connection keeps only the outcome. The URI
 * Jetty keeps per connection ({@code CoreSession.getRequestURI()}) has no {@code token} parameter: the
 * handler of {@link #of} shows the negotiation the upgrade request without it once the token is read.
 *
 * <p>Jetty's own idle timer is off (the endpoint's sweep owns {@code JP_IDLE_TIMEOUT_MS}); a text message
 * over {@code JP_MAX_FRAME_BYTES} closes with 1009 {@code message_too_big} whatever its size or
 * fragmentation, and invalid UTF-8 with Jetty's 1007. Shutdown, threads and metrics are those of
 * {@link JobProgressWebSocket}. Stateless; thread-safe.
 */
public final class JettyWebSocketHandler {
  private static final Logger log = LoggerFactory.getLogger(JettyWebSocketHandler.class);
  private static final List<String> SUPPORTED = List.of(HandshakeConfigurator.SUBPROTOCOL);

  private JettyWebSocketHandler() {}

  /**
   * A new upgrade handler serving {@code ws} at {@code ws.path()} (nothing when {@code ws.enabled()} is
   * false); set the host's other handlers as its child, requests that are not a WebSocket upgrade to that
   * path pass through to them, untouched. A WebSocket upgrade to that path is handed to Jetty in a
   * {@link QueryTokenRequest}, so the URI Jetty keeps for the connection has no {@code ?token=}.
   */
  public static WebSocketUpgradeHandler of(JobProgressWebSocket ws) {
    if (!ws.enabled()) {
      return new WebSocketUpgradeHandler();
    }
    WebSocketUpgradeHandler handler = new TokenlessUpgradeHandler(PathSpec.from(ws.path()));
    handler.addMapping(ws.path(), negotiator(ws));
    return handler;
  }

  /**
   * The negotiator of {@code ws}, for a host that maps it into its own {@link WebSocketUpgradeHandler}.
   * Mapped that way, a {@code ?token=} stays in the URI Jetty keeps for the connection's lifetime
   * ({@code CoreSession.getRequestURI()}, the whole token several times over); to keep it out, put
   * {@link #of} in front of that handler instead ({@code of(ws).setHandler(yourUpgradeHandler)}: it passes
   * every other request on) or have clients send the token in a header.
   */
  public static WebSocketNegotiator negotiator(JobProgressWebSocket ws) {
    return new Negotiator(ws);
  }

  /** An upgrade handler that shows Jetty upgrade requests to {@code path} through a {@link QueryTokenRequest}. */
  private static final class TokenlessUpgradeHandler extends WebSocketUpgradeHandler {
    private final PathSpec path;
    private final Handshaker handshaker = Handshaker.newInstance(); // stateless, thread-safe

    TokenlessUpgradeHandler(PathSpec path) {
      this.path = path;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      return super.handle(QueryTokenRequest.wrapUpgrade(request, path, handshaker), response, callback);
    }
  }

  /** Checks one handshake and creates its {@link JettyFrameHandler}; called concurrently by Jetty. */
  private record Negotiator(JobProgressWebSocket socket) implements WebSocketNegotiator {
    @Override
    public FrameHandler negotiate(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
      HttpFields headers = request.getHeaders();
      if (!HandshakeConfigurator.originAllowed(socket, headers.get(HttpHeader.ORIGIN))) {
        Response.writeError(request, response, callback, HttpStatus.FORBIDDEN_403);
        return null;
      }
      // the path only: the query string carries the token
      log.debug("New connection attempt on {}", request.getHttpURI().getPath());
      String protocol = HandshakeConfigurator.negotiate(SUPPORTED, request.getSubProtocols());
      if (!protocol.isEmpty()) {
        response.setAcceptedSubProtocol(protocol);
      }
      String token = BearerTokens.ofUpgrade(headers.getValuesList(HttpHeader.AUTHORIZATION),
          headers.getValuesList(HttpHeader.SEC_WEBSOCKET_SUBPROTOCOL),
          QueryTokenRequest.takeToken(request));
      return new JettyFrameHandler(socket, HandshakeConfigurator.verify(socket, token));
    }

    /**
     * No Jetty idle timer; fragments handed over as they arrive (no per-frame buffer in Jetty; the handler
     * counts a message's bytes against the library's limit), at most the container text limit each.
     */
    @Override
    public void customize(Configuration configuration) {
      int limit = ConnectionRules.containerTextLimit(socket.transport().maxFrameBytes());
      configuration.setIdleTimeout(Duration.ZERO);
      configuration.setAutoFragment(true);
      configuration.setMaxFrameSize(limit);
      configuration.setMaxTextMessageSize(limit);
      configuration.setMaxBinaryMessageSize(limit);
    }
  }
}
