package io.jobprogress.examples.demo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code DEMO_HEADER_TIMEOUT_MS} against the built jar: a client that trickles an upgrade request one header
 * line at a time, faster than the idle timeout, is still disconnected once the header deadline has passed;
 * a WebSocket that completed its upgrade long before is not affected.
 */
class DemoSlowHandshakeIT {

  @Test
  void anUpgradeRequestTrickledLineByLineIsClosedAfterTheHeaderTimeout() throws Exception {
    try (DemoProcess demo = DemoProcess.startDemo(Map.of("DEMO_HEADER_TIMEOUT_MS", "1500",
        "DEMO_IDLE_TIMEOUT_MS", "120000"))) {
      Api api = new Api(demo.url());
      String token = api.register("slow-" + UUID.randomUUID() + "@example.com");
      try (WsRecorder ws = WsRecorder.connect(demo.ws("/ws?token=" + token));
          Socket slow = new Socket()) {
        ws.next("connected");
        slow.connect(new InetSocketAddress(demo.url().getHost(), demo.url().getPort()), 10_000);
        slow.setSoTimeout(100);
        write(slow, "GET /ws HTTP/1.1\r\nHost: " + demo.url().getAuthority() + "\r\n");
        int[] line = {0};
        // one more header line per poll, never the blank line that ends the request
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
            .until(() -> trickleAndSeeClosed(slow, "X-Slow-" + line[0]++ + ": still coming\r\n"));

        ws.send("{\"type\":\"ping\"}");
        ws.next("pong");
        assertEquals(200, api.get("/api/config", null).status(), "the server keeps serving");
      }
    }
  }

  /** Writes one line and reads: true once the server has closed the connection. */
  private static boolean trickleAndSeeClosed(Socket s, String line) {
    try {
      write(s, line);
      InputStream in = s.getInputStream();
      while (true) {
        if (in.read() < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  private static void write(Socket s, String text) throws IOException {
    s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
  }
}
