package io.jobprogress.benchmarks.jmh;

import io.jobprogress.core.ClientConnection;
import io.jobprogress.core.CloseReason;
import io.jobprogress.core.OutboundFrame;

/**
 * A {@link ClientConnection} that sends nothing: it counts the frames handed to it and keeps the last one,
 * so a benchmark measures the hub's side of a delivery and can check afterwards that every frame arrived.
 *
 * <p>Not thread-safe, unlike real connections: the counters are plain fields, written by the one benchmark
 * thread (the benchmarks using it run with one thread, JMH's default).
 */
public final class CountingConnection implements ClientConnection {
  private final String id;
  private final String userId;
  private long sent; // the benchmark thread only
  private OutboundFrame last; // the benchmark thread only

  /** A connection {@code id} of {@code userId}. */
  public CountingConnection(String id, String userId) {
    this.id = id;
    this.userId = userId;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String userId() {
    return userId;
  }

  /** Counts the frame; see {@link ClientConnection#send}. */
  @Override
  public void send(OutboundFrame frame) {
    sent++;
    last = frame;
  }

  /** Ignored: a benchmark connection never closes. */
  @Override
  public void close(CloseReason reason) {
    // nothing to release
  }

  /** Frames sent since the last {@link #reset()}. */
  public long sent() {
    return sent;
  }

  /** The last frame sent, or null. */
  public OutboundFrame last() {
    return last;
  }

  /** Starts counting from zero. */
  public void reset() {
    sent = 0;
    last = null;
  }
}
