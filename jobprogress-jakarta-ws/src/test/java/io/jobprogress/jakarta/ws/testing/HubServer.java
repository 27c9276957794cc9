package io.jobprogress.jakarta.ws.testing;

import io.jobprogress.core.HubSettings;
import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.TestTokens;
import io.jobprogress.jakarta.ws.JobProgressWebSocket;
import io.jobprogress.jakarta.ws.TransportSettings;
import java.net.URI;

/**
 * A hub (verifying {@link TestTokens}) with its endpoint deployed at {@code /ws} in one of the
 * {@link Container}s on a loopback port. Close it to stop all three. Not thread-safe to start or close.
 */
public final class HubServer implements AutoCloseable {
  private final JobProgressHub hub;
  private final JobProgressWebSocket socket;
  private final Container.Running running;

  private HubServer(JobProgressHub hub, JobProgressWebSocket socket, Container.Running running) {
    this.hub = hub;
    this.socket = socket;
    this.running = running;
  }

  /** Starts {@code container} with a hub using {@code settings}. */
  public static HubServer start(Container container, HubSettings settings) throws Exception {
    return start(container, settings, java.util.List.of());
  }

  /** Starts {@code container} with a hub using {@code settings}, allowing only {@code origins} (empty: any). */
  public static HubServer start(Container container, HubSettings settings, java.util.List<String> origins)
      throws Exception {
    JobProgressHub hub = JobProgressHub.builder().tokenVerifier(TestTokens.verifier()).settings(settings).build();
    JobProgressWebSocket socket = JobProgressWebSocket.builder(hub).allowedOrigins(origins).build();
    return new HubServer(hub, socket, container.start(socket));
  }

  /** Starts {@code container} with a hub using {@code settings} and an endpoint using {@code transport}. */
  public static HubServer start(Container container, HubSettings settings, TransportSettings transport)
      throws Exception {
    JobProgressHub hub = JobProgressHub.builder().tokenVerifier(TestTokens.verifier()).settings(settings).build();
    JobProgressWebSocket socket = JobProgressWebSocket.builder(hub).transport(transport).build();
    return new HubServer(hub, socket, container.start(socket));
  }

  /** Starts {@code container} serving {@code hub} (any verifier and settings); closing the server closes the hub. */
  public static HubServer start(Container container, JobProgressHub hub) throws Exception {
    JobProgressWebSocket socket = JobProgressWebSocket.builder(hub).build();
    return new HubServer(hub, socket, container.start(socket));
  }

  /** The hub. */
  public JobProgressHub hub() {
    return hub;
  }

  /** The deployed endpoint (its metrics). */
  public JobProgressWebSocket socket() {
    return socket;
  }

  /** The container's port. */
  public int port() {
    return running.port();
  }

  /** {@code ws://127.0.0.1:port/ws}, with {@code ?token=} when {@code token} is not null. */
  public URI wsUri(String token) {
    return URI.create("ws://127.0.0.1:" + port() + "/ws" + (token == null ? "" : "?token=" + token));
  }

  /** Closes the hub (clients get 1012), the endpoint's threads and the container. */
  @Override
  public void close() throws Exception {
    hub.close();
    socket.close();
    running.close();
  }
}
