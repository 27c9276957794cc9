package io.jobprogress.benchmarks;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A {@code java.net.http} WebSocket client that counts what reaches it: text frames, their UTF-8 bytes, and
 * progress updates (a {@code progress} frame is one, a {@code batch} frame as many as its {@code events}).
 * It remembers per job the last seq and status and counts any seq that is not newer than the one before
 * (within an epoch) as an order violation. {@link #resetCounters} starts a measurement.
 *
 * <p>Lifecycle: {@link #connect}, set up with {@link #send} and the await methods, measure, {@link #close}.
 * Thread-safe: the listener callbacks and the readers synchronize on this object.
 */
final class CountingClient implements WebSocket.Listener, AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(15);

  /** What the client knows of one job. */
  record JobView(String epoch, long seq, String status, long updates) {}

  private final StringBuilder partial = new StringBuilder();
  private final Map<String, JobView> jobs = new HashMap<>();
  private final Map<String, Integer> controlFrames = new HashMap<>();
  private WebSocket webSocket;
  private long frames;
  private long bytes;
  private long updates;
  private long orderViolations;

  private CountingClient() {}

  /** Connects to {@code uri} and waits for the {@code connected} frame. */
  static CountingClient connect(HttpClient http, URI uri) {
    CountingClient c = new CountingClient();
    WebSocket ws = http.newWebSocketBuilder().connectTimeout(WAIT).buildAsync(uri, c)
        .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    synchronized (c) {
      c.webSocket = ws;
    }
    c.awaitControl("connected", 1);
    return c;
  }

  @Override
  public void onOpen(WebSocket ws) {
    ws.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    synchronized (this) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        frames++;
        bytes += utf8Length(text);
        JsonObject frame = JsonParser.parseString(text).getAsJsonObject();
        String type = frame.get("type").getAsString();
        if (type.equals("progress")) {
          update(frame);
        } else if (type.equals("batch")) {
          for (JsonElement e : frame.getAsJsonArray("events")) {
            update(e.getAsJsonObject());
          }
        } else {
          controlFrames.merge(type, 1, Integer::sum);
        }
        notifyAll();
      }
    }
    ws.request(1);
    return null;
  }

  private void update(JsonObject e) {
    updates++;
    String job = e.get("jobId").getAsString();
    String epoch = e.get("epoch").getAsString();
    long seq = e.get("seq").getAsLong();
    JobView before = jobs.get(job);
    if (before != null && before.epoch().equals(epoch) && seq <= before.seq()) {
      orderViolations++;
    }
    jobs.put(job, new JobView(epoch, seq, e.get("status").getAsString(), before == null ? 1 : before.updates() + 1));
  }

  /** Sends one text frame. */
  void send(String text) {
    WebSocket ws;
    synchronized (this) {
      ws = webSocket;
    }
    ws.sendText(text, true).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
  }

  /** Waits until {@code count} control frames of {@code type} have arrived in total. */
  synchronized void awaitControl(String type, int count) {
    awaitUntil(() -> controlFrames.getOrDefault(type, 0) >= count, type + " frame #" + count);
  }

  /** Waits until an update of {@code jobId} with at least {@code seq} has arrived. */
  synchronized void awaitSeq(String jobId, long seq) {
    awaitUntil(() -> jobs.containsKey(jobId) && jobs.get(jobId).seq() >= seq, jobId + " at seq " + seq);
  }

  private void awaitUntil(java.util.function.BooleanSupplier done, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    try {
      while (!done.getAsBoolean()) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          throw new IllegalStateException("CountingClient: no " + what + " within " + WAIT);
        }
        wait(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("CountingClient: interrupted waiting for " + what, e);
    }
  }

  /** Starts a measurement: frames, bytes, updates and per-job update counts back to zero. */
  synchronized void resetCounters() {
    frames = 0;
    bytes = 0;
    updates = 0;
    orderViolations = 0;
    jobs.replaceAll((job, v) -> new JobView(v.epoch(), v.seq(), v.status(), 0));
  }

  synchronized long frames() {
    return frames;
  }

  synchronized long bytes() {
    return bytes;
  }

  synchronized long updates() {
    return updates;
  }

  synchronized long orderViolations() {
    return orderViolations;
  }

  /** How many control frames (not progress, not batch) of {@code type} arrived since the connection opened. */
  synchronized int controlFrames(String type) {
    return controlFrames.getOrDefault(type, 0);
  }

  /** What the client knows of {@code jobId}, or null when nothing of it arrived. */
  synchronized JobView job(String jobId) {
    return jobs.get(jobId);
  }

  /** Closes normally and gives the server a moment to answer; never throws. */
  @Override
  public void close() {
    WebSocket ws;
    synchronized (this) {
      ws = webSocket;
    }
    try {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(2, TimeUnit.SECONDS);
    } catch (Exception e) {
      ws.abort();
    }
  }

  /** The UTF-8 length of {@code s} (surrogate pairs are 4 bytes), without encoding it. */
  static long utf8Length(CharSequence s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
