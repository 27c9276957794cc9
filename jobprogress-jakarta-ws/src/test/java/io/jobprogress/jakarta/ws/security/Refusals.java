package io.jobprogress.jakarta.ws.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobprogress.core.CloseReason;
import io.jobprogress.core.JobProgressHub;
import io.jobprogress.jakarta.ws.testing.RecordingClient;
import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

/** How the security ITs tell "refused with no data frame" and "a good token still connects". */
final class Refusals {
  private Refusals() {}

  /**
   * Connects and asserts the server refused: either the handshake got an HTTP 4xx (e.g. a container's
   * URI or header size limit for a 16 KiB token), or the connection was closed with {@code expected}
   * and not a single text frame arrived. Returns what happened, for the test's message.
   */
  static String assertRefused(URI uri, Map<String, String> headers, List<String> subprotocols, CloseReason expected) {
    RecordingClient client;
    try {
      client = RecordingClient.connect(uri, headers, subprotocols);
    } catch (CompletionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException refused) {
        int status = refused.getResponse().statusCode();
        assertTrue(status >= 400 && status < 500, () -> "handshake answered " + status);
        return "HTTP " + status;
      }
      throw e;
    }
    try (client) {
      RecordingClient.Close close = client.awaitClose();
      assertEquals(new RecordingClient.Close(expected.code(), expected.reason()), close);
      client.assertNoMoreFrames();
      return close.toString();
    }
  }

  /** Asserts {@code hub} has no connection at all. */
  static void assertRegistryEmpty(JobProgressHub hub) {
    assertEquals(0, hub.stats().connections().totalClients(), () -> "registry: " + hub.stats().connections().toJson());
  }

  /** Connects with a good token, sees {@code connected} and a pong, and leaves. */
  static void assertGoodTokenConnects(URI uri, String user) {
    try (RecordingClient client = RecordingClient.connect(uri)) {
      assertEquals(user, client.assertFrame("connected").get("userId").getAsString());
      client.assertPingAnswered();
    }
  }
}
