package io.jobprogress.benchmarks;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.jobprogress.core.HubSettings;
import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.jwt.JwtTokenVerifier;
import io.jobprogress.jakarta.ws.JobProgressWebSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A hub with the default in-memory broadcaster and store, its {@link JobProgressWebSocket} endpoint deployed
 * at {@code /ws} in an embedded Jetty on a loopback port (bootstrapped as the Jetty container test does),
 * verifying HS256 tokens signed with a random secret made here. Close it to stop hub, endpoint and Jetty.
 *
 * <p>Not thread-safe to start or close; {@link #token} and {@link #wsUri} are thread-safe.
 */
final class EmbeddedJetty implements AutoCloseable {
  private final byte[] secret;
  private final JobProgressHub hub;
  private final JobProgressWebSocket socket;
  private final Server server;
  private final int port;

  private EmbeddedJetty(byte[] secret, JobProgressHub hub, JobProgressWebSocket socket, Server server, int port) {
    this.secret = secret;
    this.hub = hub;
    this.socket = socket;
    this.server = server;
    this.port = port;
  }

  /** Starts Jetty with a new hub using {@code settings}. */
  static EmbeddedJetty start(HubSettings settings) throws Exception {
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String secret = Base64.getEncoder().encodeToString(random);
    JobProgressHub hub = JobProgressHub.builder().tokenVerifier(JwtTokenVerifier.hmac(secret).build())
        .settings(settings).build();
    JobProgressWebSocket socket = JobProgressWebSocket.builder(hub).build();
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler ctx = new ServletContextHandler("/");
    server.setHandler(ctx);
    JakartaWebSocketServletContainerInitializer.configure(ctx,
        (sc, container) -> container.addEndpoint(socket.endpointConfig()));
    server.start();
    return new EmbeddedJetty(secret.getBytes(StandardCharsets.UTF_8), hub, socket, server, connector.getLocalPort());
  }

  /** The hub (publish through {@link JobProgressHub#publishJobUpdate}). */
  JobProgressHub hub() {
    return hub;
  }

  /** {@code ws://127.0.0.1:port/ws?token=...} for a one-hour token of {@code userId}. */
  URI wsUri(String userId) {
    return URI.create("ws://127.0.0.1:" + port + JobProgressWebSocket.DEFAULT_PATH + "?token=" + token(userId));
  }

  private String token(String userId) {
    JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(userId).issueTime(new Date())
        .expirationTime(Date.from(Instant.now().plus(Duration.ofHours(1)))).build();
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
      jwt.sign(new MACSigner(secret));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException("EmbeddedJetty: cannot sign a benchmark token", e);
    }
  }

  /** Closes the hub (clients get 1012), the endpoint and Jetty. */
  @Override
  public void close() throws Exception {
    hub.close();
    socket.close();
    server.stop();
  }
}
