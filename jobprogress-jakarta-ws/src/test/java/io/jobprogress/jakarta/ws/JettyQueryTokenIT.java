package io.jobprogress.jakarta.ws;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.TestTokens;
import io.jobprogress.jakarta.ws.testing.RecordingClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Over Jetty's WebSocket core ({@link JettyWebSocketHandler#of}) a {@code ?token=} authenticates but is not
 * kept in the URI Jetty holds per connection, while every other request reaches the host's handler with
 * its query as sent.
 */
class JettyQueryTokenIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private JobProgressHub hub;
  private JobProgressWebSocket ws;
  private Server server;
  private int port;

  @BeforeEach
  void start() throws Exception {
    hub = JobProgressHub.builder().tokenVerifier(TestTokens.verifier()).build();
    ws = JobProgressWebSocket.builder(hub).build();
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    WebSocketUpgradeHandler upgrade = JettyWebSocketHandler.of(ws);
    upgrade.setHandler(new EchoQuery());
    server.setHandler(upgrade);
    server.start();
    port = connector.getLocalPort();
  }

  @AfterEach
  void stop() throws Exception {
    hub.close();
    ws.close();
    server.stop();
  }

  @Test
  void theConnectionKeepsItsQueryWithoutTheToken() {
    String token = TestTokens.token("alice");
    try (RecordingClient client = RecordingClient.connect(wsUri("?v=2&token=" + token))) {
      client.assertFrame("connected");
      URI kept = keptUri();
      assertEquals("/ws", kept.getPath());
      assertEquals("v=2", kept.getQuery());
      assertFalse(kept.toString().contains(token), kept.toString());
    }
  }

  @Test
  void aQueryOfOnlyTheTokenLeavesNoQuery() {
    try (RecordingClient client = RecordingClient.connect(wsUri("?token=" + TestTokens.token("bob")))) {
      client.assertFrame("connected");
      URI kept = keptUri();
      assertNull(kept.getRawQuery(), kept.toString());
    }
  }

  @Test
  void aBadQueryTokenIsStillClosedWith1008BeforeAnyFrame() {
    try (RecordingClient client = RecordingClient.connect(wsUri("?token=not-a-jwt"))) {
      assertEquals(new RecordingClient.Close(1008, "invalid_token"), client.awaitClose());
      client.assertNoMoreFrames();
    }
  }

  @Test
  void otherRequestsReachTheHostsHandlerWithTheirQueryAsSent() throws Exception {
    assertEquals("/other?token=abc&x=1 unwrapped", get("/other?token=abc&x=1"));
    assertEquals("/ws?token=abc&x=1 unwrapped", get("/ws?token=abc&x=1")); // not an upgrade
  }

  /** The URI Jetty keeps for the one open connection. */
  private URI keptUri() {
    Set<SessionConnection> live = ws.supervisor().watched();
    await().until(() -> live.size() == 1);
    return ((JettyFrameHandler) live.iterator().next().wire()).coreSession().getRequestURI();
  }

  private URI wsUri(String query) {
    return URI.create("ws://127.0.0.1:" + port + "/ws" + query);
  }

  private String get(String pathAndQuery) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery)).build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }

  /** The host's handler: answers with the path and query it sees and whether it got the library's wrapper. */
  private static final class EchoQuery extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      String wrapped = Request.as(request, QueryTokenRequest.class) == null ? "unwrapped" : "wrapped";
      Content.Sink.write(response, true, request.getHttpURI().getPathQuery() + " " + wrapped, callback);
      return true;
    }
  }
}
