package io.jobprogress.examples.demo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.jobprogress.redis.RedisServerProcess;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scale-out as the README describes it, with the built jars as real processes and a real redis-server:
 * instance A runs its jobs inline, instance B hands its jobs to the standalone worker through a Redis list,
 * and both share users, tokens, snapshots and progress.
 */
class TwoInstancesOverRedisIT {
  static final String SECRET = "two-instances-shared-secret-0123456789abcdef";
  static RedisServerProcess redis;
  static DemoProcess a;
  static DemoProcess b;
  static DemoProcess worker;

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServerProcess.start();
    Map<String, String> common = Map.of("REDIS_URL", redis.url(), "JWT_SECRET", SECRET, "DEMO_STEP_MS", "200");
    a = DemoProcess.startDemo(common);
    b = DemoProcess.startDemo(with(common, "DEMO_WORKER", "redis"));
    worker = DemoProcess.startWorker(with(common, "WORKER_THREADS", "2"));
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {worker, b, a, redis}) {
      if (c != null) {
        c.close();
      }
    }
  }

  static Map<String, String> with(Map<String, String> base, String key, String value) {
    HashMap<String, String> m = new HashMap<>(base);
    m.put(key, value);
    return m;
  }

  @Test
  void registeredOnALoggedInOnBAndAJobRunOnAIsWatchedFromBUntilCompleted() throws Exception {
    Api apiA = new Api(a.url());
    Api apiB = new Api(b.url());
    apiA.register("scale@example.com");
    Api.Response login = apiB.post("/api/auth/login", Api.credentials("scale@example.com", "password123"), null);
    assertEquals(200, login.status(), login.body());
    String tokenFromB = login.get("accessToken");

    String jobId = apiA.generate(tokenFromB, "made on A");
    try (WsRecorder ws = WsRecorder.connect(b.ws("/ws?token=" + tokenFromB))) {
      ws.next("connected");
      ws.send("{\"type\":\"subscribe\",\"data\":{\"jobId\":\"" + jobId + "\"}}");
      ws.next("subscribed");
      List<JsonObject> frames = DemoContractIT.readUntilTerminal(ws, jobId);
      assertEquals("completed", DemoContractIT.last(frames).get("status").getAsString());
    }
    assertEquals("completed", apiB.get("/api/jobs/" + jobId, tokenFromB).json().get("status").getAsString());
    assertTrue(a.output().stream().anyMatch(l -> l.contains("Job " + jobId + " completed")), "A ran the job");
  }

  @Test
  void aJobWorkedByTheWorkerIsWatchedFromBothInstances() throws Exception {
    Api apiA = new Api(a.url());
    String token = apiA.register("worker-watch@example.com");
    String jobId = new Api(b.url()).generate(token, "for the worker");
    try (WsRecorder onA = WsRecorder.connect(a.ws("/ws?token=" + token));
        WsRecorder onB = WsRecorder.connect(b.ws("/ws?token=" + token))) {
      for (WsRecorder ws : List.of(onA, onB)) {
        ws.next("connected");
        ws.send("{\"type\":\"subscribe\",\"data\":{\"jobId\":\"" + jobId + "\"}}");
        ws.next("subscribed");
      }
      assertEquals("completed", DemoContractIT.last(DemoContractIT.readUntilTerminal(onA, jobId)).get("status").getAsString());
      assertEquals("completed", DemoContractIT.last(DemoContractIT.readUntilTerminal(onB, jobId)).get("status").getAsString());
    }
    await().atMost(Duration.ofSeconds(10))
        .until(() -> worker.output().stream().anyMatch(l -> l.contains("Took job " + jobId)));
    assertTrue(b.output().stream().noneMatch(l -> l.contains("Job " + jobId + " completed")), "B did not run it itself");
  }
}
