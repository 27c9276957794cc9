package io.jobprogress.examples.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.JobStatus;
import io.jobprogress.core.jwt.JwtTokenVerifier;
import io.jobprogress.core.ProgressEvent;
import io.jobprogress.publisher.JobProgressPublisher;
import io.jobprogress.redis.RedisServerProcess;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * The worker's queue loop against a real redis-server: jobs pushed onto the list (as the demo server
 * does) are taken and run to their end, publishing through the given publisher (here into a hub in this
 * JVM, so the test can read each job's latest state).
 */
class RedisJobQueueWorkerIT {
  static final String QUEUE = "test:jobs";
  static RedisServerProcess redis;
  static RedisClient client;
  static JobProgressHub hub;
  static JobProgressPublisher publisher;
  static RedisJobQueueWorker worker;

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServerProcess.start();
    client = RedisClient.create(URI.create(redis.url()));
    hub = JobProgressHub.builder()
        .tokenVerifier(JwtTokenVerifier.hmac("worker-test-secret-0123456789abcdef!!").build()).build();
    publisher = JobProgressPublisher.inProcess(hub);
    worker = new RedisJobQueueWorker(client, QUEUE, publisher, new SimulatedJob(5), 2);
    worker.start();
  }

  @AfterAll
  static void stop() throws Exception {
    worker.close();
    hub.close();
    client.close();
    redis.close();
  }

  static JobStatus statusOf(String user, String job) {
    Optional<ProgressEvent> e = hub.latestFor(user, job);
    return e.map(ProgressEvent::status).orElse(null);
  }

  static void enqueue(String job, String user, String prompt) {
    publisher.publish(ProgressEvent.queued(job, user));
    client.rpush(QUEUE, new JobRequest(job, user, prompt).toJson());
  }

  @Test
  void aQueuedJobIsTakenAndRunToCompleted() {
    enqueue("job-w1", "u-w", "a cat");
    await().atMost(Duration.ofSeconds(30)).until(() -> statusOf("u-w", "job-w1") == JobStatus.COMPLETED);
    assertEquals(100, hub.latestFor("u-w", "job-w1").orElseThrow().progress());
    assertTrue(hub.latestFor("u-w", "job-w1").orElseThrow().seq() >= 8, "queued, six steps and completed");
  }

  @Test
  void aFailPromptEndsFailedDuringInference() {
    enqueue("job-w2", "u-w", "make it FAIL");
    await().atMost(Duration.ofSeconds(30)).until(() -> statusOf("u-w", "job-w2") == JobStatus.FAILED);
    assertEquals(40, hub.latestFor("u-w", "job-w2").orElseThrow().progress(), "failed where inference stopped");
  }

  @Test
  void malformedEntriesAreSkippedAndTheWorkerKeepsWorking() {
    client.rpush(QUEUE, "not json", "{\"jobId\":\"bad id!\",\"userId\":\"u\",\"prompt\":\"x\"}", "null");
    enqueue("job-w3", "u-w", "after the junk");
    await().atMost(Duration.ofSeconds(30)).until(() -> statusOf("u-w", "job-w3") == JobStatus.COMPLETED);
    assertEquals(0, client.llen(QUEUE), "the junk was consumed, not left blocking the queue");
  }
}
