package io.jobprogress.examples.demo;

import io.jobprogress.core.AuthenticatedUser;
import io.jobprogress.core.CloseReason;
import io.jobprogress.core.HubSession;
import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.TokenRejectedException;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the jobprogress WebSocket endpoint at {@code path} of a Jetty context: the only place the demo
 * touches WebSocket. The token comes from {@code ?token=} or {@code Authorization: Bearer}; a missing or
 * rejected token closes the connection with 1008 and the reason's text before any data frame.
 *
 * <p>TODO(lead): this is a stand-in. When jobprogress-jakarta-ws is merged, replace the body of
 * {@link #install} with {@code container.addEndpoint(JobProgressWebSocket.serverEndpointConfig(hub))} (with
 * {@code path}) and delete the stand-in endpoint and {@link SessionConnection}.
 */
public final class WebSocketWiring {
  private static final Logger log = LoggerFactory.getLogger(WebSocketWiring.class);
  private static final String TOKEN = "jobprogress.token";

  private WebSocketWiring() {}

  /** Registers the endpoint; call before the server starts. Sends run on {@code senders}. */
  static void install(ServletContextHandler ctx, JobProgressHub hub, String path, ExecutorService senders) {
    ServerEndpointConfig config = ServerEndpointConfig.Builder.create(StandInEndpoint.class, path)
        .configurator(new ServerEndpointConfig.Configurator() {
          @Override
          public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest req, HandshakeResponse resp) {
            sec.getUserProperties().put(TOKEN, token(req));
          }

          @Override
          public <T> T getEndpointInstance(Class<T> endpointClass) {
            return endpointClass.cast(new StandInEndpoint(hub, senders));
          }
        })
        .build();
    JakartaWebSocketServletContainerInitializer.configure(ctx, (sc, container) -> container.addEndpoint(config));
  }

  private static String token(HandshakeRequest req) {
    List<String> q = req.getParameterMap().get("token");
    if (q != null && !q.isEmpty()) {
      return q.get(0);
    }
    List<String> auth = req.getHeaders().get("Authorization");
    if (auth != null && !auth.isEmpty() && auth.get(0).regionMatches(true, 0, "Bearer ", 0, 7)) {
      return auth.get(0).substring(7).trim();
    }
    return null;
  }

  /** One instance per connection: authenticates, then feeds the hub. */
  public static final class StandInEndpoint extends Endpoint {
    private final JobProgressHub hub;
    private final ExecutorService senders;
    private volatile HubSession hubSession;

    StandInEndpoint(JobProgressHub hub, ExecutorService senders) {
      this.hub = hub;
      this.senders = senders;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
      AuthenticatedUser user;
      try {
        user = hub.authenticate((String) config.getUserProperties().get(TOKEN));
      } catch (TokenRejectedException e) {
        log.info("WebSocket refused: {}", e.getMessage());
        closeQuietly(session, e.reason());
        return;
      }
      session.setMaxTextMessageBufferSize(hub.settings().maxFrameBytes());
      session.setMaxIdleTimeout(hub.settings().idleTimeout().toMillis());
      SessionConnection conn = new SessionConnection(session, user.userId(), senders,
          hub.settings().sendQueueCapacity());
      HubSession s = hub.open(conn, user);
      hubSession = s;
      session.addMessageHandler(String.class, (MessageHandler.Whole<String>) s::onText);
    }

    @Override
    public void onClose(Session session, jakarta.websocket.CloseReason reason) {
      HubSession s = hubSession;
      if (s != null) {
        s.onClose();
      }
    }

    @Override
    public void onError(Session session, Throwable error) {
      log.debug("WebSocket error on {}: {}", session.getId(), error.toString());
    }

    private static void closeQuietly(Session session, CloseReason reason) {
      try {
        session.close(new jakarta.websocket.CloseReason(CloseCodes.getCloseCode(reason.code()), reason.reason()));
      } catch (IOException e) {
        log.debug("Close failed: {}", e.toString());
      }
    }
  }
}
