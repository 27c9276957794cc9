package io.jobprogress.publisher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jobprogress.core.HubSession;
import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.JobStatus;
import io.jobprogress.core.ProgressEvent;
import io.jobprogress.core.RecordingConnection;
import io.jobprogress.core.TestTokens;
import io.jobprogress.redis.RedisBroadcaster;
import io.jobprogress.redis.RedisServerProcess;
import io.jobprogress.redis.RedisSettings;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two hubs (server instances) on one Redis behave as one. */
class TwoHubsOverRedisIT {
  @RegisterExtension
  static final RedisServerProcess redis = RedisServerProcess.perClass();

  /** Each hub's broadcaster, to wait until its subscriptions are live. */
  private final Map<JobProgressHub, RedisBroadcaster> broadcasters = new IdentityHashMap<>();
  private final JobProgressHub hubA = hub();
  private final JobProgressHub hubB = hub();
  private final JobProgressPublisher worker = JobProgressPublisher.redis(redis.url());

  private JobProgressHub hub() {
    RedisBroadcaster broadcaster = new RedisBroadcaster(RedisSettings.builder(redis.url()).build());
    JobProgressHub hub = JobProgressHub.builder().tokenVerifier(TestTokens.verifier()).broadcaster(broadcaster).build();
    broadcasters.put(hub, broadcaster);
    return hub;
  }

  @AfterEach
  void stop() {
    worker.close();
    hubA.close();
    hubB.close();
  }

  private RecordingConnection subscribe(JobProgressHub hub, String user, String job) throws Exception {
    RecordingConnection c = new RecordingConnection(user);
    HubSession s = hub.open(c, hub.authenticate(TestTokens.token(user)));
    c.assertFrame("connected");
    s.onText("{\"type\":\"subscribe\",\"data\":{\"jobId\":\"" + job + "\"}}");
    c.assertFrame("subscribed");
    await().atMost(Duration.ofSeconds(5)).until(broadcasters.get(hub)::isReady);
    return c;
  }

  @Test
  void workerEventReachesAClientOnAnotherHubAndLateSubscribersGetTheSnapshot() throws Exception {
    String job = "two-" + System.nanoTime();
    worker.job(job, "alice").queued();
    RecordingConnection onB = subscribe(hubB, "alice", job);
    onB.assertProgress(job, 0);
    worker.job(job, "alice").stage("inference", 45, "Running model inference...");
    assertEquals("inference", onB.assertProgress(job, 45).get("stage").getAsString());
    // a client on the other hub, subscribing late, starts from the stored snapshot
    RecordingConnection onA = subscribe(hubA, "alice", job);
    onA.assertProgress(job, 45);
    worker.job(job, "alice").complete();
    onB.assertProgress(job, 100);
    onA.assertProgress(job, 100);
    onA.assertNoMoreFrames();
    onB.assertNoMoreFrames();
  }

  @Test
  void eventPublishedThroughOneHubReachesTheOtherHubAndNotOtherUsers() throws Exception {
    String job = "hub-" + System.nanoTime();
    hubA.publishJobUpdate(ProgressEvent.queued(job, "alice"));
    RecordingConnection alice = subscribe(hubB, "alice", job);
    alice.assertProgress(job, 0);
    RecordingConnection mallory = new RecordingConnection("mallory");
    HubSession m = hubB.open(mallory, hubB.authenticate(TestTokens.token("mallory")));
    mallory.assertFrame("connected");
    m.onText("{\"type\":\"subscribe\",\"data\":{\"jobId\":\"" + job + "\"}}");
    mallory.assertFrame("error");
    hubA.publishJobUpdate(ProgressEvent.of(job, "alice", JobStatus.PROCESSING, 70, "s", ""));
    alice.assertProgress(job, 70);
    mallory.assertNoMoreFrames();
  }
}
