package io.jobprogress.examples.worker;

import io.jobprogress.publisher.JobHandle;
import io.jobprogress.publisher.JobProgressPublisher;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pretend image generation: moves a job through preprocessing, inference and rendering to completed,
 * with rising progress and the seed's kind of messages, publishing each step with a
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
   * {@code cancelled}, when the thread is interrupted.
   *
   * @throws RuntimeException when the publisher fails; the job is then left where it was
   */
  public void run(JobProgressPublisher publisher, JobRequest request) {
    JobHandle job = publisher.job(request.jobId(), request.userId());
    boolean fail = shouldFail(request.prompt());
    try {
      for (Step step : STEPS) {
        pause();
        if (fail && step.stage().equals("inference") && step.progress() > 40) {
          job.fail("Model inference failed: the prompt asked for it (contains \"fail\")");
          log.info("Job {} failed on purpose", request.jobId());
          return;
        }
        job.stage(step.stage(), step.progress(), step.message());
      }
      pause();
      job.complete("Image generated");
      log.info("Job {} completed", request.jobId());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      job.cancel("Worker shutting down");
      log.info("Job {} cancelled: worker shutting down", request.jobId());
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
