package io.jobprogress.jakarta.ws.security;

import static io.jobprogress.jakarta.ws.security.Refusals.assertRefused;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobprogress.core.CloseReason;
import io.jobprogress.core.HubSettings;
import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.TestTokens;
import io.jobprogress.jakarta.ws.HandshakeRateFilter;
import io.jobprogress.jakarta.ws.JobProgressWebSocket;
import io.jobprogress.jakarta.ws.testing.Container;
import io.jobprogress.jakarta.ws.testing.RecordingClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Handshakes per remote address, limited by the optional {@link HandshakeRateFilter} in Tomcat (filters run
 * before its upgrade): past the burst an address gets HTTP 429 and no WebSocket, plain HTTP requests are
 * not counted, and once the bucket refills the address connects again; the default lets 200 users behind
 * one address (a NAT) connect at once.
 */
class HandshakeRateIT {
  @RegisterExtension
  final NoTokenInLogs logs = new NoTokenInLogs();

  @Test
  void handshakesPastTheBurstGet429AndTheAddressConnectsAgainOnceTheBucketRefills() throws Exception {
    try (JobProgressHub hub = JobProgressHub.builder().tokenVerifier(TestTokens.verifier()).build();
        JobProgressWebSocket ws = JobProgressWebSocket.builder(hub).build();
        // a burst of 3, then one handshake per 5 s: the refused one must come within 5 s of the first,
        // which holds on a loaded machine too (at 0.5/s, 2 s did not always)
        Container.Running tomcat = Container.tomcat(ws.endpointConfig(), new HandshakeRateFilter(0.2, 3))) {
      URI uri = URI.create("ws://127.0.0.1:" + tomcat.port() + "/ws?token=" + logs.token(TestTokens.token("alice")));
      for (int i = 0; i < 3; i++) {
        try (RecordingClient client = RecordingClient.connect(uri)) {
          client.assertFrame("connected");
        }
      }
      HttpResponse<String> plain = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + tomcat.port() + "/")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(true, plain.statusCode() != 429, "a plain request was counted: " + plain.statusCode());

      // another user from the same address: alice's closed connections may still be leaving the registry
      // (RecordingClient.close does not wait for the server), bob's refused handshake must never enter it
      URI bob = URI.create("ws://127.0.0.1:" + tomcat.port() + "/ws?token=" + logs.token(TestTokens.token("bob")));
      assertEquals("HTTP 429", assertRefused(bob, Map.of(), List.of(), CloseReason.TRY_LATER));
      assertTrue(hub.connectionIdsOf("bob").isEmpty(), "the refused handshake registered a connection");
      await().atMost(Duration.ofSeconds(10)).until(() -> hub.stats().totalClients() == 0);

      await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500)).until(() -> {
        try (RecordingClient client = RecordingClient.connect(uri)) {
          client.assertFrame("connected");
          return true;
        } catch (java.util.concurrent.CompletionException refused) {
          return false;
        }
      });
    }
  }

  @Test
  void defaultLimitLetsTwoHundredUsersBehindOneAddressConnectAtOnce() throws Exception {
    try (JobProgressHub hub = JobProgressHub.builder().tokenVerifier(TestTokens.verifier())
            .settings(HubSettings.defaults()).build();
        JobProgressWebSocket ws = JobProgressWebSocket.builder(hub).build();
        Container.Running tomcat = Container.tomcat(ws.endpointConfig(),
            HandshakeRateFilter.fromConfig(Map.of()))) {
      List<RecordingClient> clients = IntStream.range(0, HandshakeRateFilter.DEFAULT_BURST).parallel()
          .mapToObj(i -> RecordingClient.connect(URI.create("ws://127.0.0.1:" + tomcat.port() + "/ws?token="
              + logs.token(TestTokens.token("nat-user-" + i)))))
          .toList();
      try {
        clients.forEach(c -> c.assertFrame("connected"));
        // "connected" is sent just before the registry counts the connection
        await().until(() -> hub.stats().connections().totalClients() == HandshakeRateFilter.DEFAULT_BURST);
      } finally {
        clients.forEach(RecordingClient::close);
      }
    }
  }

  @Test
  void badSettingsNameTheirVariable() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> HandshakeRateFilter.fromConfig(Map.of("WS_HANDSHAKE_BURST", "0")));
    assertEquals("WS_HANDSHAKE_BURST must be >= 1, was \"0\"", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> HandshakeRateFilter.fromConfig(Map.of("WS_HANDSHAKES_PER_SECOND", "fast")));
    assertEquals("WS_HANDSHAKES_PER_SECOND must be a number > 0 and <= 1000000, was \"fast\"", e.getMessage());
  }
}
