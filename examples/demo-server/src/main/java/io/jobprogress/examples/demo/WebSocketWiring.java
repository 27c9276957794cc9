package io.jobprogress.examples.demo;

import io.jobprogress.core.JobProgressHub;
import io.jobprogress.jakarta.ws.JobProgressWebSocket;
import io.jobprogress.jakarta.ws.TransportSettings;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;

/**
 * Puts the library's WebSocket endpoint ({@link JobProgressWebSocket}) at {@code path} of a Jetty context:
 * the only place the demo touches WebSocket. The token comes from {@code ?token=} or
 * {@code Authorization: Bearer}; a missing or rejected one is closed with 1008 before any data frame.
 * Stateless.
 */
final class WebSocketWiring {
  private WebSocketWiring() {}

  /**
   * Registers the endpoint with {@code transport}'s frame size, send queue and timeouts; call before the
   * server starts. Closing the hub closes the endpoint too (it registers itself with the hub), so the
   * caller has nothing else to close.
   */
  static JobProgressWebSocket install(ServletContextHandler ctx, JobProgressHub hub, String path,
      TransportSettings transport) {
    JobProgressWebSocket ws = JobProgressWebSocket.builder(hub).path(path).transport(transport).build();
    JakartaWebSocketServletContainerInitializer.configure(ctx, (sc, container) -> ws.deploy(container));
    return ws;
  }
}
