package io.jobprogress.examples.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobprogress.core.JobStatus;
import io.jobprogress.core.ProgressEvent;
import io.jobprogress.publisher.JobProgressPublisher;
import io.jobprogress.redis.RedisException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class SimulatedJobTest {

  /** Records what the simulation publishes. */
  static final class Recording implements JobProgressPublisher {
    final List<ProgressEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public ProgressEvent publish(ProgressEvent event) {
      events.add(event);
      return event;
    }

    @Override
    public CompletableFuture<ProgressEvent> publishAsync(ProgressEvent event) {
      return CompletableFuture.completedFuture(publish(event));
    }

    @Override
    public void close() {}
  }

  @Test
  void aJobMovesThroughTheStagesWithRisingProgressToCompleted() {
    Recording r = new Recording();
    new SimulatedJob(0).run(r, new JobRequest("job-1", "u-1", "a cat"));
    List<String> stages = r.events.stream().map(ProgressEvent::stage).distinct().toList();
    assertEquals(List.of("preprocessing", "inference", "rendering", "completed"), stages);
    for (int i = 1; i < r.events.size(); i++) {
      assertTrue(r.events.get(i).progress() > r.events.get(i - 1).progress(), r.events.toString());
    }
    ProgressEvent last = r.events.get(r.events.size() - 1);
    assertEquals(JobStatus.COMPLETED, last.status());
    assertTrue(r.events.stream().anyMatch(e -> e.message().equals("Running model inference...")));
  }

  @Test
  void aPromptContainingFailEndsFailedAndNeverCompletes() {
    Recording r = new Recording();
    new SimulatedJob(0).run(r, new JobRequest("job-2", "u-1", "Please Fail now"));
    ProgressEvent last = r.events.get(r.events.size() - 1);
    assertEquals(JobStatus.FAILED, last.status());
    assertFalse(r.events.stream().anyMatch(e -> e.status() == JobStatus.COMPLETED));
  }

  @Test
  void anInterruptedJobEndsCancelled() {
    Recording r = new Recording();
    Thread.currentThread().interrupt();
    new SimulatedJob(0).run(r, new JobRequest("job-3", "u-1", "a cat"));
    assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
    assertEquals(List.of(JobStatus.CANCELLED), r.events.stream().map(ProgressEvent::status).toList());
  }

  /** Fails the given calls (1-based) as a publisher whose retry window passed would. */
  static final class Failing implements JobProgressPublisher {
    final Recording published = new Recording();
    final List<Integer> failing;
    int calls;

    Failing(Integer... failing) {
      this.failing = List.of(failing);
    }

    @Override
    public synchronized ProgressEvent publish(ProgressEvent event) {
      if (failing.contains(++calls)) {
        throw new RedisException("redis: publish of job " + event.jobId() + " failed after 30000 ms and 40 tries,"
            + " seq unknown, lost: " + event.status().wireName() + " " + event.progress() + "%", null);
      }
      return published.publish(event);
    }

    @Override
    public CompletableFuture<ProgressEvent> publishAsync(ProgressEvent event) {
      return CompletableFuture.completedFuture(publish(event));
    }

    @Override
    public void close() {}
  }

  @Test
  void aStepThatCouldNotBePublishedIsSkippedAndTheJobStillEndsCompleted() {
    Failing f = new Failing(2, 3);
    new SimulatedJob(0).run(f, new JobRequest("job-5", "u-1", "a cat"));
    assertEquals(SimulatedJob.STEPS.size() + 1, f.calls, "every step was tried");
    ProgressEvent last = f.published.events.get(f.published.events.size() - 1);
    assertEquals(JobStatus.COMPLETED, last.status());
  }

  @Test
  void aFinalStateThatCouldNotBePublishedEndsTheRunWithoutAnException() {
    Failing f = new Failing(SimulatedJob.STEPS.size() + 1);
    new SimulatedJob(0).run(f, new JobRequest("job-6", "u-1", "a cat"));
    assertEquals(SimulatedJob.STEPS.size(), f.published.events.size());
    assertFalse(f.published.events.stream().anyMatch(e -> e.status() == JobStatus.COMPLETED));
  }

  @Test
  void aJobRequestSurvivesTheQueueAndRejectsBadInput() {
    JobRequest req = new JobRequest("job-4", "u-1", "a \"quoted\" prompt");
    assertEquals(req, JobRequest.fromJson(req.toJson()));
    assertThrows(IllegalArgumentException.class, () -> JobRequest.fromJson("not json"));
    assertThrows(IllegalArgumentException.class, () -> JobRequest.fromJson("null"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JobRequest.fromJson("{\"jobId\":\"bad id!\",\"userId\":\"u\",\"prompt\":\"x\"}"));
    assertTrue(e.getMessage().startsWith("jobId must be"), e.getMessage());
  }
}
