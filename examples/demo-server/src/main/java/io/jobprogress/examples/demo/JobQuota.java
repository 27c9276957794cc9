package io.jobprogress.examples.demo;

import io.jobprogress.core.ProgressEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code DEMO_MAX_QUEUED_JOBS_PER_USER}: admission of new jobs, at most {@code max} unfinished jobs per user
 * accepted by this instance. A job counts from its admission until its latest progress (read from the hub's
 * snapshot store, so it works whoever runs the job: this process or {@code examples/worker}) is terminal;
 * a job whose snapshot is gone after {@link #FORGET_AFTER} no longer counts either. Only admission lives
 * here: the job queue and the simulated worker are untouched. Thread-safe (one lock; the store reads are a
 * few lookups per request).
 */
final class JobQuota {
  /** Seconds a refused client is told to wait: about one simulated step of a typical job. */
  static final long RETRY_AFTER_SECONDS = 5;
  /** How long an admitted job without any snapshot still counts (its queued state may not be stored yet). */
  static final Duration FORGET_AFTER = Duration.ofMinutes(10);

  private final int max;
  private final Function<String, Optional<ProgressEvent>> latest;
  private final Map<String, Map<String, Long>> unfinished = new HashMap<>();

  /**
   * @param max unfinished jobs allowed per user; 0 = no limit
   * @param latest the latest progress of a job id (the hub's snapshot store)
   */
  JobQuota(int max, Function<String, Optional<ProgressEvent>> latest) {
    this.max = max;
    this.latest = latest;
  }

  /** Admits {@code jobId} for {@code userId} when the user has fewer than {@code max} unfinished jobs. */
  synchronized boolean admit(String userId, String jobId) {
    if (max == 0) {
      return true;
    }
    Map<String, Long> jobs = unfinished.computeIfAbsent(userId, u -> new LinkedHashMap<>());
    long now = System.nanoTime();
    for (Iterator<Map.Entry<String, Long>> it = jobs.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Long> job = it.next();
      Optional<ProgressEvent> last = latest.apply(job.getKey());
      boolean finished = last.isPresent()
          ? last.get().status().isTerminal()
          : now - job.getValue() > FORGET_AFTER.toNanos();
      if (finished) {
        it.remove();
      }
    }
    if (jobs.size() >= max) {
      return false;
    }
    jobs.put(jobId, now);
    return true;
  }

  /** Gives the slot of {@code jobId} back (its submission failed). */
  synchronized void release(String userId, String jobId) {
    Map<String, Long> jobs = unfinished.get(userId);
    if (jobs != null) {
      jobs.remove(jobId);
      if (jobs.isEmpty()) {
        unfinished.remove(userId);
      }
    }
  }
}
