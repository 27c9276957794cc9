package io.jobprogress.core;

import java.util.Objects;

/**
 * One server-to-client text frame plus what a send queue needs to know to treat it well.
 *
 * <p>A frame with a {@link #jobId()} and {@link #replaceable()} true is a non-terminal progress update: a
 * send queue may replace it with a newer one for the same job that is still waiting (latest wins).
 * Everything else (terminal updates, errors, control frames) must be sent, in order. One frame object is
 * encoded once and shared by every connection it goes to. Immutable and thread-safe.
 *
 * @param text the JSON text
 * @param jobId the job a progress frame is about, or {@code null} for other frames
 * @param replaceable whether a newer frame for the same job may replace this one while it waits
 * @param seq the progress event's seq (0 for other frames); a send queue keeps the higher seq of one epoch
 * @param epoch the progress event's epoch, or null
 */
public record OutboundFrame(String text, String jobId, boolean replaceable, long seq, String epoch) {

  /** A frame without seq and epoch (they compare as unknown: the later frame wins). */
  public OutboundFrame(String text, String jobId, boolean replaceable) {
    this(text, jobId, replaceable, 0, null);
  }

  /**
   * Whether this frame may be replaced by {@code newer} while waiting: always, unless both carry a seq of
   * the same epoch and {@code newer}'s is not higher (an older update arriving late never wins).
   */
  public boolean supersededBy(OutboundFrame newer) {
    return seq == 0 || newer.seq == 0 || !Objects.equals(epoch, newer.epoch) || newer.seq > seq;
  }

  /** Checks that text is present and that only job frames are replaceable. */
  public OutboundFrame {
    Objects.requireNonNull(text, "text");
    if (replaceable && jobId == null) {
      throw new IllegalArgumentException("only a frame with a jobId can be replaceable");
    }
  }

  /** A frame that must be delivered in order and never dropped. */
  public static OutboundFrame control(String text) {
    return new OutboundFrame(text, null, false);
  }
}
