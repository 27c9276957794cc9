package io.jobprogress.examples.demo;

import io.jobprogress.core.JobProgressHub;
import io.jobprogress.jakarta.ws.JettyWebSocketHandler;
import io.jobprogress.jakarta.ws.JobProgressWebSocket;
import io.jobprogress.jakarta.ws.TransportSettings;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;

/**
 * Puts the library's WebSocket endpoint ({@link JobProgressWebSocket}) at {@code path}: the only place the
 * demo touches WebSocket. With {@link DemoConfig.Transport#JETTY} it is served on Jetty's WebSocket core
 * ({@link JettyWebSocketHandler}, in front of the servlet context); with {@link DemoConfig.Transport#JAKARTA}
 * through the context's Jakarta WebSocket container. Either way the token comes from {@code ?token=},
 * {@code Authorization: Bearer} or the {@code bearer.} subprotocol entry, and a missing or rejected one is
 * closed with 1008 before any data frame. Stateless.
 */
final class WebSocketWiring {
  private WebSocketWiring() {}

  /**
   * Registers the endpoint with {@code transport}'s frame size, send queue and timeouts; call before the
   * server starts. Returns the handler to serve: {@code ctx} itself, or the upgrade handler wrapping it.
   * Closing the hub closes the endpoint too (it registers itself with the hub), so the caller has nothing
   * else to close.
   */
  static Handler install(DemoConfig.Transport kind, ServletContextHandler ctx, JobProgressHub hub, String path,
      TransportSettings transport) {
    JobProgressWebSocket ws = JobProgressWebSocket.builder(hub).path(path).transport(transport).build();
    if (kind == DemoConfig.Transport.JAKARTA) {
      JakartaWebSocketServletContainerInitializer.configure(ctx, (sc, container) -> ws.deploy(container));
      return ctx;
    }
    WebSocketUpgradeHandler upgrade = JettyWebSocketHandler.of(ws);
    upgrade.setHandler(ctx);
    return upgrade;
  }
}
