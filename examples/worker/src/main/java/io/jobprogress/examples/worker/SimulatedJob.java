package io.jobprogress.examples.worker;

import io.jobprogress.core.SnapshotStore;
import io.jobprogress.publisher.JobHandle;
import io.jobprogress.publisher.JobProgressPublisher;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pretend image generation: moves a job through preprocessing, inference and rendering to completed,
 * with rising progress and stage messages like a real job's, publishing each step with a
 * {@link JobProgressPublisher}. A prompt containing {@code fail} makes the job fail during inference, so
 * the failure path is visible too.
 *
 * <p>The {@code queued} update is NOT published here: the web server publishes it before it answers 202,
 * so the owner may subscribe at once. {@link #run} blocks for about {@code 7 * stepMillis}; one instance
 * may run many jobs concurrently from different threads (it holds no state besides its settings).
 */
public final class SimulatedJob {
  private static final Logger log = LoggerFactory.getLogger(SimulatedJob.class);

  /** One step of the simulation. */
  record Step(String stage, int progress, String message) {}

  static final List<Step> STEPS = List.of(
      new Step("preprocessing", 10, "Preprocessing prompt..."),
      new Step("preprocessing", 25, "Tokenizing input..."),
      new Step("inference", 40, "Running model inference..."),
      new Step("inference", 60, "Running model inference..."),
      new Step("inference", 75, "Refining details..."),
      new Step("rendering", 90, "Rendering output..."));

  private final long stepMillis;

  /**
   * @param stepMillis pause before each step, at least 0
   * @throws IllegalArgumentException for a negative pause
   */
  public SimulatedJob(long stepMillis) {
    if (stepMillis < 0) {
      throw new IllegalArgumentException("stepMillis must be >= 0, was " + stepMillis);
    }
    this.stepMillis = stepMillis;
  }

  /** Whether this prompt asks for the failure path. */
  public static boolean shouldFail(String prompt) {
    return prompt.toLowerCase(Locale.ROOT).contains("fail");
  }

  /**
   * Runs the job to its end (completed or failed), publishing every step. Returns early, publishing
   * {@code cancelled}, when the thread is interrupted. Never throws: the publisher already rides out Redis
   * outages up to its retry window, so a step it still could not publish is logged and skipped (the next
   * step carries the newer state), and a final state it could not publish is logged as lost. A job whose
   * state was already terminal (refused as stale) stops.
   */
  public void run(JobProgressPublisher publisher, JobRequest request) {
    JobHandle job = publisher.job(request.jobId(), request.userId());
    boolean fail = shouldFail(request.prompt());
    try {
      for (Step step : STEPS) {
        pause();
        if (fail && step.stage().equals("inference") && step.progress() > 40) {
          finish(request, "failed", () -> job.fail("Model inference failed: the prompt asked for it (contains \"fail\")"));
          return;
        }
        if (!publishStep(request, step.stage() + " " + step.progress() + "%",
            () -> job.stage(step.stage(), step.progress(), step.message()))) {
          return;
        }
      }
      pause();
      finish(request, "completed", () -> job.complete("Image generated"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      finish(request, "cancelled", () -> job.cancel("Worker shutting down"));
    }
  }

  /** Publishes one intermediate step; false when the job must stop (its state is already terminal). */
  private static boolean publishStep(JobRequest request, String what, Runnable publish) {
    try {
      publish.run();
      return true;
    } catch (SnapshotStore.StaleEventException e) {
      log.warn("Job {} stops: {}", request.jobId(), e.getMessage());
      return false;
    } catch (RuntimeException e) {
      log.warn("Job {}: step {} not published, going on: {}", request.jobId(), what, e.getMessage());
      return true;
    }
  }

  /** Publishes the final state; a failure to do so is logged as a lost final state. */
  private static void finish(JobRequest request, String state, Runnable publish) {
    try {
      publish.run();
      log.info("Job {} {}", request.jobId(), state);
    } catch (RuntimeException e) {
      log.error("Job {} ended {} but its final state could not be published (subscribers keep the last "
          + "state they saw): {}", request.jobId(), state, e.getMessage());
    }
  }

  private void pause() throws InterruptedException {
    if (stepMillis > 0) {
      Thread.sleep(stepMillis);
    } else if (Thread.interrupted()) {
      throw new InterruptedException();
    }
  }
}
