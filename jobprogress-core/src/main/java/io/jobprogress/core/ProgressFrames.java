package io.jobprogress.core;

import java.time.Instant;

/**
 * The public part of the protocol codec: the {@code progress} frame of an event (what a WebSocket client
 * receives, and the polling endpoint's body) and the protocol's timestamp format. Other transports and
 * the Redis envelope use it so every path writes the same bytes; the rest of the codec is internal to
 * this package. Stateless and thread-safe.
 */
public final class ProgressFrames {
  private ProgressFrames() {}

  /**
   * {@code {"type":"progress","jobId","userId","status","progress","stage","message","timestamp","seq"}}
   * plus {@code epoch} when assigned; the timestamp is the event's own (docs/protocol.md).
   */
  public static String progress(ProgressEvent event) {
    return ProtocolCodec.progress(event);
  }

  /** An instant as the protocol writes it: ISO-8601 UTC with milliseconds, e.g. {@code 2025-11-24T00:15:30.123Z}. */
  public static String timestamp(Instant instant) {
    return ProtocolCodec.timestamp(instant);
  }
}
