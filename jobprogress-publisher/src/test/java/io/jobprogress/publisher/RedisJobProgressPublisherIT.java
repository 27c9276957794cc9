package io.jobprogress.publisher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobprogress.core.Broadcaster;
import io.jobprogress.core.JobStatus;
import io.jobprogress.core.ProgressEvent;
import io.jobprogress.core.SnapshotStore;
import io.jobprogress.redis.RedisBroadcaster;
import io.jobprogress.redis.RedisServerProcess;
import io.jobprogress.redis.RedisSettings;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Redis publisher against a real redis-server, watched by a RedisBroadcaster node. */
class RedisJobProgressPublisherIT {
  @RegisterExtension
  static final RedisServerProcess redis = RedisServerProcess.perClass();

  private final List<ProgressEvent> received = new CopyOnWriteArrayList<>();
  private RedisBroadcaster node;
  private JobProgressPublisher publisher;
  private String job;

  @BeforeEach
  void start() {
    job = "pub-" + System.nanoTime();
    node = new RedisBroadcaster(RedisSettings.builder(redis.url()).build());
    node.start(received::add);
    node.interest(Broadcaster.Scope.JOB, job, true);
    await().atMost(Duration.ofSeconds(5)).until(node::isReady);
    publisher = JobProgressPublisher.redis(redis.url());
  }

  @AfterEach
  void stop() {
    publisher.close();
    node.close();
  }

  @Test
  void publishJobProgressStoresTheSnapshotAndReachesSubscribedNodes() {
    ProgressEvent stored = publisher.publishJobProgress(job, "alice", "processing", 45, "inference",
        "Running model inference...");
    assertEquals(1, stored.seq());
    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
    assertEquals(stored, received.get(0));
    assertEquals(stored, node.store().latest(job).orElseThrow());
  }

  @Test
  void publishAsyncCompletesWithTheStoredEvent() throws Exception {
    CompletableFuture<ProgressEvent> f = publisher.publishAsync(ProgressEvent.queued(job, "alice"));
    assertEquals(1, f.get(5, TimeUnit.SECONDS).seq());
    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
  }

  @Test
  void jobHandleWalksAJobThroughItsStagesToCompletion() {
    JobHandle h = publisher.job(job, "alice");
    h.queued();
    h.stage("inference", 45, "Running model inference...");
    h.complete();
    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 3);
    assertEquals(List.of(JobStatus.QUEUED, JobStatus.PROCESSING, JobStatus.COMPLETED),
        received.stream().map(ProgressEvent::status).toList());
    assertEquals(List.of(1L, 2L, 3L), received.stream().map(ProgressEvent::seq).toList());
    // a late update after completion is refused, in the async variant too
    assertThrows(SnapshotStore.StaleEventException.class, () -> h.stage("late", 50, ""));
    ExecutionException e = assertThrows(ExecutionException.class, () -> publisher
        .publishAsync(ProgressEvent.of(job, "alice", JobStatus.PROCESSING, 60, "late", "")).get(5, TimeUnit.SECONDS));
    assertInstanceOf(SnapshotStore.StaleEventException.class, e.getCause());
  }

  @Test
  void failReportsTheLastProgressAndTheReason() {
    JobHandle h = publisher.job(job, "alice");
    h.stage("download", 30, "");
    ProgressEvent failed = h.fail("model not found");
    assertEquals(JobStatus.FAILED, failed.status());
    assertEquals(30, failed.progress());
    assertEquals("model not found", failed.message());
    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 2);
  }

  @Test
  void invalidInputIsRefusedBeforeAnythingIsSentAndThePublisherKeepsWorking() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> publisher.publishJobProgress(
        job, "alice", "processing", 140, "s", "")).getMessage().contains("progress must be 0..100, was 140"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> publisher.publishJobProgress(
        job, "alice", "running", 10, "s", "")).getMessage().contains("status must be one of"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> publisher.publishJobProgress(
        "job 1", "alice", JobStatus.PROCESSING, 10, "s", "")).getMessage().contains("jobId"));
    assertThrows(IllegalArgumentException.class, () -> publisher.publish(null));
    assertThrows(IllegalArgumentException.class, () -> publisher.job(job, "alice;drop"));
    assertTrue(node.store().latest(job).isEmpty(), "nothing was stored");
    ProgressEvent ok = publisher.publishJobProgress(job, "alice", JobStatus.PROCESSING, 10, "s", "");
    assertEquals(1, ok.seq(), "the first valid event is the job's first");
    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
  }

  @Test
  void closedPublisherRefusesToPublish() throws Exception {
    publisher.close();
    publisher.close();
    assertThrows(IllegalStateException.class, () -> publisher.publish(ProgressEvent.queued(job, "alice")));
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> publisher.publishAsync(ProgressEvent.queued(job, "alice")).get(5, TimeUnit.SECONDS));
    assertInstanceOf(IllegalStateException.class, e.getCause());
  }

  @Test
  void badUrlIsRefusedAtConstructionWithoutEchoingThePassword() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JobProgressPublisher.redis("redis://u:hunter2@host/notadb"));
    assertTrue(e.getMessage().startsWith("redis: URL path"), e.getMessage());
    assertTrue(!e.getMessage().contains("hunter2"), e.getMessage());
  }
}
