package io.jobprogress.examples.demo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What happens to a running demo on SIGTERM, and to a demo started with a bad setting. */
class DemoShutdownIT {

  @Test
  void sigtermClosesEveryClientWith1012RestartAndStopsTheProcess() throws Exception {
    try (DemoProcess demo = DemoProcess.startDemo(Map.of())) {
      assertTrue(demo.output().stream().anyMatch(l -> l.contains("JWT_SECRET is not set")),
          "a missing JWT_SECRET is warned about: " + demo.output());
      Api api = new Api(demo.url());
      String token = api.register("shutdown@example.com");
      try (WsRecorder ws = WsRecorder.connect(demo.ws("/ws?token=" + token))) {
        ws.next("connected");
        demo.sigterm();
        assertEquals("1012 restart", ws.awaitClose());
      }
      int exit = demo.terminate();
      assertEquals(143, exit, "exit status after SIGTERM with a shutdown hook");
      assertTrue(demo.output().stream().anyMatch(l -> l.contains("Demo stopping")), demo.output().toString());
      assertTrue(demo.output().stream().noneMatch(l -> l.contains(token)), "the token is never logged");
      assertTrue(demo.output().stream().noneMatch(l -> l.contains("password123")), "the password is never logged");
    }
  }

  @Test
  void aBadSettingStopsTheStartWithOneLineNamingIt() throws Exception {
    try (DemoProcess demo = DemoProcess.start(DemoProcess.jar("demo.jar"), Map.of("DEMO_STEP_MS", "soon"))) {
      assertTrue(demo.process().waitFor(30, TimeUnit.SECONDS), "the process ends by itself");
      assertEquals(2, demo.process().exitValue(), "exit status");
      await().until(() -> !demo.output().isEmpty());
      assertEquals("demo: DEMO_STEP_MS must be a whole number, was \"soon\"", demo.output().get(0));
    }
  }
}
