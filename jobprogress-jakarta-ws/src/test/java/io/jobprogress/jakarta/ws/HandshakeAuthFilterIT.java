package io.jobprogress.jakarta.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.TestTokens;
import io.jobprogress.jakarta.ws.testing.Container;
import io.jobprogress.jakarta.ws.testing.RecordingClient;
import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The optional filter answers a bad token with 401 before the upgrade (Tomcat runs filters first). */
class HandshakeAuthFilterIT {

  @Test
  void aBadTokenGets401BeforeTheUpgradeAndAGoodOneStillConnects() throws Exception {
    try (JobProgressHub hub = JobProgressHub.builder().tokenVerifier(TestTokens.verifier()).build();
        JobProgressWebSocket ws = JobProgressWebSocket.builder(hub).build();
        Container.Running tomcat = Container.tomcat(ws.endpointConfig(), new HandshakeAuthFilter(hub))) {
      String base = "ws://127.0.0.1:" + tomcat.port() + "/ws";
      for (String uri : new String[] {base + "?token=not-a-jwt", base}) {
        CompletionException e = assertThrows(CompletionException.class, () -> RecordingClient.connect(URI.create(uri)));
        WebSocketHandshakeException refused = assertInstanceOf(WebSocketHandshakeException.class, e.getCause());
        assertEquals(401, refused.getResponse().statusCode());
      }
      try (RecordingClient client = RecordingClient.connect(URI.create(base + "?token=" + TestTokens.token("ok")))) {
        client.assertFrame("connected");
        client.assertPingAnswered();
      }
      assertEquals(0, hub.stats().connections().clientsByUser().stream().filter(u -> !u.userId().equals("ok")).count());
    }
  }
}
