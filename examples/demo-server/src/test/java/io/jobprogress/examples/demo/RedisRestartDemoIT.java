package io.jobprogress.examples.demo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.jobprogress.redis.RedisServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two demo instances in Redis mode ride out a Redis outage in the middle of a job: the job runs on A, the
 * browser watches from B. A's job thread keeps going, B's WebSocket ends on {@code completed}, and nothing
 * dies with an uncaught exception. The restarted Redis is empty (no persistence), so the job goes on in a
 * new epoch.
 */
class RedisRestartDemoIT {
  static final String SECRET = "redis-restart-shared-secret-0123456789abcdef";
  private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
  private RedisServerProcess redis;
  private DemoProcess demo;
  private DemoProcess watcher;

  @BeforeEach
  void start() throws Exception {
    redis = RedisServerProcess.start();
    Map<String, String> env = Map.of("REDIS_URL", redis.url(), "JWT_SECRET", SECRET, "DEMO_STEP_MS", "400");
    demo = DemoProcess.startDemo(env);
    watcher = DemoProcess.startDemo(env);
  }

  @AfterEach
  void stop() throws Exception {
    // let a restart or resume the test scheduled run to its end: the test can finish while a restart is
    // still waiting for the new redis-server's PING (the publisher got through first), and interrupting it
    // then stops that server, so the resume below signalled a dead pid ("kill -CONT failed with 1")
    later.shutdown();
    assertTrue(later.awaitTermination(30, TimeUnit.SECONDS), "the scheduled restart or resume finished");
    for (DemoProcess p : new DemoProcess[] {watcher, demo}) {
      if (p != null) {
        p.close();
      }
    }
    redis.resume();
    redis.close();
  }

  @Test
  void aJobRunningWhileRedisIsKilledAndRestartedOneSecondLaterEndsCompletedForItsSubscriber() throws Exception {
    runJobThrough(() -> {
      redis.kill();
      later.schedule(redis::restart, 1, TimeUnit.SECONDS);
    }, "kill-restart@example.com");
  }

  @Test
  void aJobRunningWhileRedisIsPausedForFiveSecondsEndsCompletedForItsSubscriber() throws Exception {
    runJobThrough(() -> {
      redis.pause();
      later.schedule(redis::resume, 5, TimeUnit.SECONDS);
    }, "sigstop@example.com");
  }

  private void runJobThrough(Runnable outage, String email) throws Exception {
    Api api = new Api(demo.url());
    String token = api.register(email);
    String jobId = api.generate(token, "through an outage");
    List<JsonObject> frames = new ArrayList<>();
    try (WsRecorder ws = WsRecorder.connect(watcher.ws("/ws?token=" + token))) {
      ws.next("connected");
      ws.send("{\"type\":\"subscribe\",\"data\":{\"jobId\":\"" + jobId + "\"}}");
      ws.next("subscribed");
      JsonObject f;
      do {
        f = ws.next("progress");
        frames.add(f);
        // from 25 % on the frames are live: the subscribe (snapshot reads, registration) is behind us
      } while (f.get("progress").getAsInt() < 25);
      outage.run();
      while (!List.of("completed", "failed", "cancelled").contains(f.get("status").getAsString())) {
        try {
          f = ws.next("progress");
        } catch (AssertionError e) {
          throw new AssertionError(e.getMessage() + " after " + frames + "\n" + output(), e);
        }
        assertEquals(jobId, f.get("jobId").getAsString());
        JsonObject before = frames.get(frames.size() - 1);
        if (before.get("epoch").getAsString().equals(f.get("epoch").getAsString())) {
          // never backwards; an equal seq (a re-delivered state) is dropped per connection by the hub
          assertTrue(f.get("seq").getAsLong() >= before.get("seq").getAsLong(), "seq never goes back: " + frames + " then " + f);
        }
        frames.add(f);
      }
    }
    assertEquals("completed", f(frames).get("status").getAsString(), "frames " + frames + "\n" + output());
    try {
      await().atMost(Duration.ofSeconds(10))
          .until(() -> demo.output().stream().anyMatch(l -> l.contains("Job " + jobId + " completed")));
    } catch (RuntimeException e) {
      throw new AssertionError("the job thread did not run to its end:\n" + output(), e);
    }
    for (DemoProcess p : List.of(demo, watcher)) {
      assertTrue(p.output().stream().noneMatch(l -> l.contains("Exception in thread")), "nothing uncaught:\n" + output());
      assertTrue(p.output().stream().noneMatch(l -> l.contains(token)), "no token in the log");
    }
  }

  private static JsonObject f(List<JsonObject> frames) {
    return frames.get(frames.size() - 1);
  }

  private String output() {
    return "A:\n" + String.join("\n", demo.output()) + "\nB:\n" + String.join("\n", watcher.output());
  }
}
