package io.jobprogress.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.jobprogress.core.HubSession;
import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.JobStatus;
import io.jobprogress.core.ProgressEvent;
import io.jobprogress.core.RecordingConnection;
import io.jobprogress.core.TestTokens;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Redis dies, hangs or restarts under a live hub: clients end with the right state, nothing escapes. */
class RedisFaultIT {
  private final List<Throwable> escaped = new CopyOnWriteArrayList<>();
  private Thread.UncaughtExceptionHandler previous;
  private RedisServerProcess redis;
  private JobProgressHub hub;
  private RedisBroadcaster broadcaster;
  private RedisSnapshotStore worker;

  @BeforeEach
  void start() {
    previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> escaped.add(e));
    redis = RedisServerProcess.start();
    RedisSettings settings = RedisSettings.builder(redis.url()).heartbeatInterval(Duration.ofMillis(300))
        .pongTimeout(Duration.ofSeconds(1)).backoff(Duration.ofMillis(200), Duration.ofSeconds(1)).build();
    broadcaster = new RedisBroadcaster(settings);
    hub = JobProgressHub.builder().tokenVerifier(TestTokens.verifier()).broadcaster(broadcaster).build();
    // a worker that does not ride out outages, so the failure is seen at once (RedisPublisherOutageIT covers riding out)
    worker = new RedisSnapshotStore(RedisSettings.builder(redis.url()).publishRetryWindow(Duration.ZERO).build());
  }

  @AfterEach
  void stop() {
    hub.close();
    worker.close();
    redis.close();
    Thread.setDefaultUncaughtExceptionHandler(previous);
  }

  private RecordingConnection subscribe(String user, String job) throws Exception {
    RecordingConnection c = new RecordingConnection(user);
    HubSession s = hub.open(c, hub.authenticate(TestTokens.token(user)));
    c.assertFrame("connected");
    s.onText("{\"type\":\"subscribe\",\"data\":{\"jobId\":\"" + job + "\"}}");
    c.assertFrame("subscribed");
    await().atMost(Duration.ofSeconds(5)).until(broadcaster::isReady);
    return c;
  }

  private static JsonObject lastProgress(RecordingConnection c) {
    List<String> frames = c.allFrames();
    for (int i = frames.size() - 1; i >= 0; i--) {
      JsonObject o = JsonParser.parseString(frames.get(i)).getAsJsonObject();
      if (o.get("type").getAsString().equals("progress")) {
        return o;
      }
    }
    return null;
  }

  private static boolean subscriberThreadAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals("jobprogress-redis-sub") && t.isAlive());
  }

  @Test
  void clientEndsWithTheFinalStateAcrossARedisKillAndRestart() throws Exception {
    String job = "fault-" + System.nanoTime();
    worker.append(ProgressEvent.queued(job, "alice"));
    RecordingConnection alice = subscribe("alice", job);
    alice.assertProgress(job, 0);
    worker.append(ProgressEvent.of(job, "alice", JobStatus.PROCESSING, 30, "s", ""));
    alice.assertProgress(job, 30);

    redis.kill();
    await().atMost(Duration.ofSeconds(5)).until(() -> !(Boolean) broadcaster.stats().get("connected"));
    assertTrue(broadcaster.stats().containsKey("reconnectingSince"), "stats " + broadcaster.stats());
    assertThrows(RedisException.class, () -> worker.append(ProgressEvent.of(job, "alice", JobStatus.PROCESSING, 50, "s", "")));

    redis.restart();
    // The worker retries; the restarted Redis is empty, so the job starts a new epoch.
    ProgressEvent done = worker.append(ProgressEvent.completed(job, "alice", "done"));
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      JsonObject last = lastProgress(alice);
      return last != null && last.get("status").getAsString().equals("completed");
    });
    assertEquals(done.epoch(), lastProgress(alice).get("epoch").getAsString());
    await().atMost(Duration.ofSeconds(10)).until(() -> (Boolean) broadcaster.stats().get("connected"));

    // The hub keeps accepting subscriptions, and they are live.
    String next = "after-" + System.nanoTime();
    worker.append(ProgressEvent.queued(next, "bob"));
    RecordingConnection bob = subscribe("bob", next);
    bob.assertProgress(next, 0);
    worker.append(ProgressEvent.of(next, "bob", JobStatus.PROCESSING, 10, "s", ""));
    bob.assertProgress(next, 10);

    assertTrue(subscriberThreadAlive(), "the subscriber thread survived");
    assertEquals(List.of(), escaped);
    assertTrue((Long) broadcaster.stats().get("reconnects") >= 1, "stats " + broadcaster.stats());
  }

  @Test
  void aHungRedisIsNoticedByTheHeartbeatAndTheSubscriptionComesBack() throws Exception {
    String job = "hang-" + System.nanoTime();
    worker.append(ProgressEvent.queued(job, "alice"));
    RecordingConnection alice = subscribe("alice", job);
    alice.assertProgress(job, 0);

    redis.pause();
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> (Long) broadcaster.stats().get("heartbeatTimeouts") >= 1);
      assertEquals(false, broadcaster.stats().get("connected"));
    } finally {
      redis.resume();
    }
    await().atMost(Duration.ofSeconds(10)).until(broadcaster::isReady);
    worker.append(ProgressEvent.of(job, "alice", JobStatus.PROCESSING, 60, "s", ""));
    await().atMost(Duration.ofSeconds(5)).until(() -> lastProgress(alice).get("progress").getAsInt() == 60);
    assertTrue(subscriberThreadAlive(), "the subscriber thread survived");
    assertEquals(List.of(), escaped);
  }
}
