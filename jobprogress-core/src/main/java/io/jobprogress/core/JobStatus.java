package io.jobprogress.core;

import java.util.Locale;

/**
 * The lifecycle state of a job. On the wire it is the lower-case name ({@code "processing"}).
 *
 * <p>Immutable and thread-safe.
 */
public enum JobStatus {
  /** Accepted, not started yet. */
  QUEUED,
  /** A worker is on it; progress moves. */
  PROCESSING,
  /** Finished successfully. Terminal. */
  COMPLETED,
  /** Finished with an error. Terminal. */
  FAILED,
  /** Stopped before finishing. Terminal. */
  CANCELLED;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  /** Whether no further update is expected: completed, failed or cancelled. */
  public boolean isTerminal() {
    return this == COMPLETED || this == FAILED || this == CANCELLED;
  }

  /** The lower-case name used in JSON frames and Redis payloads. */
  public String wireName() {
    return wireName;
  }

  /**
   * Parses a wire name, case-insensitively.
   *
   * @throws IllegalArgumentException naming the value when it is not a status
   */
  public static JobStatus fromWire(String value) {
    if (value != null) {
      for (JobStatus s : values()) {
        if (s.wireName.equalsIgnoreCase(value)) {
          return s;
        }
      }
    }
    throw new IllegalArgumentException(
        "status must be one of queued, processing, completed, failed, cancelled, was " + Ids.quote(value));
  }
}
