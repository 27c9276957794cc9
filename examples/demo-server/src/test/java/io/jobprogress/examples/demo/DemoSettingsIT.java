package io.jobprogress.examples.demo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** WS_PATH and WS_ENABLED as a user sets them, against the built jar. */
class DemoSettingsIT {

  @Test
  void theWebSocketEndpointMovesToWsPath() throws Exception {
    try (DemoProcess demo = DemoProcess.startDemo(Map.of("WS_PATH", "/live/updates"))) {
      Api api = new Api(demo.url());
      String token = api.register("path@example.com");
      assertEquals("/live/updates", api.get("/api/config", null).json().get("wsPath").getAsString());
      try (WsRecorder ws = WsRecorder.connect(demo.ws("/live/updates?token=" + token))) {
        ws.next("connected");
      }
      assertThrows(Exception.class, () -> WsRecorder.connect(demo.ws("/ws?token=" + token)),
          "nothing upgrades at the default path");
    }
  }

  @Test
  void withWebSocketDisabledThePageIsToldToPollAndPollingWorks() throws Exception {
    try (DemoProcess demo = DemoProcess.startDemo(Map.of("WS_ENABLED", "false", "DEMO_STEP_MS", "50"))) {
      Api api = new Api(demo.url());
      assertEquals(false, api.get("/api/config", null).json().get("wsEnabled").getAsBoolean());
      String token = api.register("poll@example.com");
      assertThrows(Exception.class, () -> WsRecorder.connect(demo.ws("/ws?token=" + token)));
      String jobId = api.generate(token, "polled");
      await().until(() ->
          api.get("/api/jobs/" + jobId, token).json().get("status").getAsString().equals("completed"));
      assertTrue(api.get("/", null).body().contains("jobprogress demo"), "the page is served");
    }
  }
}
