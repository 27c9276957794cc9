package io.jobprogress.benchmarks.jmh;

import io.jobprogress.core.JobStatus;
import io.jobprogress.core.ProgressEvent;
import java.time.Instant;

/**
 * The realistic data every microbenchmark uses: ids shaped like an application's (a user id, a job id with
 * a random-looking suffix), a {@code processing} update with a typical stage and message, and a seq and
 * epoch as the store assigns them. Its progress frame is 240 bytes, a little more than the ~225-byte
 * frames the BatchingBenchmark clients receive. Stateless and thread-safe.
 */
public final class Samples {
  /** The epoch the samples carry (8 characters, as the in-memory store makes them). */
  public static final String EPOCH = "3f9a1c7e";

  private Samples() {}

  /** User number {@code i}: {@code user-000042}. */
  public static String userId(int i) {
    return String.format("user-%06d", i);
  }

  /** The job of user number {@code i}: {@code report-000042-f519f70a}. */
  public static String jobId(int i) {
    return String.format("report-%06d-%08x", i, i * 0x9E3779B1);
  }

  /** A {@code processing} update of job {@code i} (user {@code i}) at 42 %, seq 421, epoch {@link #EPOCH}. */
  public static ProgressEvent event(int i) {
    return new ProgressEvent(jobId(i), userId(i), JobStatus.PROCESSING, 42, "processing",
        "Processing item 420 of 1000", Instant.parse("2026-11-28T07:45:12.345Z"), 421, EPOCH);
  }
}
