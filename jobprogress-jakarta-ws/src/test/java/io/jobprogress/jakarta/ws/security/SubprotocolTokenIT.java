package io.jobprogress.jakarta.ws.security;

import static io.jobprogress.jakarta.ws.security.Refusals.assertRefused;
import static io.jobprogress.jakarta.ws.security.Refusals.assertRegistryEmpty;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jobprogress.core.CloseReason;
import io.jobprogress.core.HubSettings;
import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.TestTokens;
import io.jobprogress.jakarta.ws.HandshakeAuthFilter;
import io.jobprogress.jakarta.ws.JobProgressWebSocket;
import io.jobprogress.jakarta.ws.testing.Container;
import io.jobprogress.jakarta.ws.testing.HubServer;
import io.jobprogress.jakarta.ws.testing.RecordingClient;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The browser transport that keeps the token out of URLs: the client offers
 * {@code Sec-WebSocket-Protocol: jobprogress.v1, bearer.<jwt>}; the server takes the token from the bearer
 * entry and negotiates only {@code jobprogress.v1}, so the token is never echoed back. Shown in all four
 * containers ({@code -Djp.containers=jetty,tomcat} narrows it), plus the optional Tomcat filter reading it.
 */
class SubprotocolTokenIT {
  @RegisterExtension
  final NoTokenInLogs logs = new NoTokenInLogs();

  static Stream<Container> containers() {
    return Container.selected();
  }

  private List<String> offer(String token) {
    return List.of("jobprogress.v1", "bearer." + logs.token(token));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("containers")
  void bearerOfferedAsSubprotocolAuthenticatesAndOnlyTheRealSubprotocolIsNegotiated(Container container)
      throws Exception {
    try (HubServer server = HubServer.start(container, HubSettings.defaults())) {
      URI noQuery = server.wsUri(null);
      try (RecordingClient client = RecordingClient.connect(noQuery, Map.of(), offer(TestTokens.token("alice")))) {
        assertEquals("jobprogress.v1", client.subprotocol());
        assertEquals("alice", client.assertFrame("connected").get("userId").getAsString());
        client.assertPingAnswered();
      }

      assertRefused(noQuery, Map.of(), offer("not.a-valid.jwt"), CloseReason.INVALID_TOKEN);
      assertRefused(noQuery, Map.of(), offer(TestTokens.token("alice", java.time.Duration.ofMinutes(-10))),
          CloseReason.TOKEN_EXPIRED);
      org.awaitility.Awaitility.await().until(() -> server.hub().stats().connections().totalClients() == 0);
      assertRegistryEmpty(server.hub());

      try (RecordingClient again = RecordingClient.connect(noQuery, Map.of(), offer(TestTokens.token("bob")))) {
        assertEquals("bob", again.assertFrame("connected").get("userId").getAsString());
      }
    }
  }

  @Test
  void handshakeAuthFilterReadsTheSubprotocolBearerToo() throws Exception {
    try (JobProgressHub hub = JobProgressHub.builder().tokenVerifier(TestTokens.verifier()).build();
        JobProgressWebSocket ws = JobProgressWebSocket.builder(hub).build();
        Container.Running tomcat = Container.tomcat(ws.endpointConfig(), new HandshakeAuthFilter(hub))) {
      URI uri = URI.create("ws://127.0.0.1:" + tomcat.port() + "/ws");
      try (RecordingClient client = RecordingClient.connect(uri, Map.of(), offer(TestTokens.token("alice")))) {
        assertEquals("jobprogress.v1", client.subprotocol());
        client.assertFrame("connected");
      }
      assertEquals("HTTP 401", assertRefused(uri, Map.of(), offer("not.a-valid.jwt"), CloseReason.INVALID_TOKEN));
    }
  }
}
