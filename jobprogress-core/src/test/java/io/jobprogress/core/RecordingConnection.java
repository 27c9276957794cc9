package io.jobprogress.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link ClientConnection} that records every frame in a queue, for transcript-style tests:
 * {@code conn.assertFrame("subscribed")}, then {@code conn.assertNoMoreFrames()}. Thread-safe.
 */
public final class RecordingConnection implements ClientConnection {
  private static final AtomicInteger IDS = new AtomicInteger();

  private final String id = "rec-" + IDS.incrementAndGet();
  private final String userId;
  private final LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
  private final List<String> all = java.util.Collections.synchronizedList(new ArrayList<>());
  private volatile CloseReason closedWith;

  public RecordingConnection(String userId) {
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

  @Override
  public void send(OutboundFrame frame) {
    if (closedWith == null) {
      frames.add(frame.text());
      all.add(frame.text());
    }
  }

  @Override
  public void close(CloseReason reason) {
    if (closedWith == null) {
      closedWith = reason;
    }
  }

  /** The close reason, or null while open. */
  public CloseReason closedWith() {
    return closedWith;
  }

  /** Every frame received so far, in order (a copy). */
  public List<String> allFrames() {
    synchronized (all) {
      return new ArrayList<>(all);
    }
  }

  /** The next frame within 5 s, parsed; fails when none arrives. */
  public JsonObject next() {
    try {
      String f = frames.poll(5, TimeUnit.SECONDS);
      assertNotNull(f, "expected a frame on " + id + " within 5 s");
      return JsonParser.parseString(f).getAsJsonObject();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The next frame, asserting its type. */
  public JsonObject assertFrame(String type) {
    JsonObject o = next();
    assertEquals(type, o.get("type").getAsString(), () -> "frame " + o);
    return o;
  }

  /** Asserts the next frame is a progress frame for {@code jobId} with {@code progress}. */
  public JsonObject assertProgress(String jobId, int progress) {
    JsonObject o = assertFrame("progress");
    assertEquals(jobId, o.get("jobId").getAsString(), () -> "frame " + o);
    assertEquals(progress, o.get("progress").getAsInt(), () -> "frame " + o);
    return o;
  }

  /** Asserts the next frame is an error with the given code. */
  public JsonObject assertError(ErrorCode code) {
    JsonObject o = assertFrame("error");
    assertEquals(code.code(), o.get("code").getAsString(), () -> "frame " + o);
    assertEquals(code.text(), o.get("error").getAsString(), () -> "frame " + o);
    return o;
  }

  /** Asserts nothing is queued now. */
  public void assertNoMoreFrames() {
    assertNull(frames.poll(), "expected no more frames on " + id);
  }
}
