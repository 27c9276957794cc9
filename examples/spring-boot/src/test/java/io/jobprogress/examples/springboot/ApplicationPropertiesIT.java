package io.jobprogress.examples.springboot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobprogress.core.TestTokens;
import io.jobprogress.jakarta.ws.testing.RecordingClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * Settings in an application properties file take effect: {@code application-moved.properties} (profile
 * {@code moved}) moves the endpoint to {@code /live}, allows one origin and moves the polling servlet.
 */
class ApplicationPropertiesIT {
  private static final String ALLOWED = "https://app.example.com";

  @Test
  void thePathAndTheAllowedOriginsComeFromTheProperties() throws Exception {
    String token = TestTokens.token("carol");
    try (ExampleApp app = ExampleApp.start(Map.of(), "moved")) {
      CompletionException foreign = assertThrows(CompletionException.class,
          () -> RecordingClient.connect(app.ws("/live", token), Map.of("Origin", "https://evil.example")));
      assertEquals(403, statusOf(foreign));

      CompletionException oldPath = assertThrows(CompletionException.class,
          () -> RecordingClient.connect(app.ws("/ws", token), Map.of("Origin", ALLOWED)));
      assertEquals(404, statusOf(oldPath));

      try (RecordingClient client = RecordingClient.connect(app.ws("/live", token), Map.of("Origin", ALLOWED))) {
        client.assertFrame("connected");
        client.assertPingAnswered();
      }

      HttpResponse<String> polled = app.get("/api/progress/unknown-job", "Authorization", "Bearer " + token);
      assertEquals(404, polled.statusCode(), polled.body());
      assertTrue(polled.body().contains("Job not found"), polled.body());
    }
  }

  private static int statusOf(CompletionException e) {
    if (e.getCause() instanceof WebSocketHandshakeException h) {
      return h.getResponse().statusCode();
    }
    throw new AssertionError("expected a refused handshake, got " + e.getCause(), e);
  }
}
