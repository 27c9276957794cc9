package io.jobprogress.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A hub plus the sessions of its recording connections, as a transport would hold them. Tests connect
 * with a token, feed text frames and read transcripts. Close it after the test. Thread-safe.
 */
final class HubFixture implements AutoCloseable {
  final JobProgressHub hub;
  private final Map<RecordingConnection, HubSession> sessions = new ConcurrentHashMap<>();
  private final List<JobProgressHub> hubs = new ArrayList<>();

  HubFixture(HubSettings settings) {
    this(JobProgressHub.builder().tokenVerifier(TestTokens.verifier()).settings(settings));
  }

  HubFixture(JobProgressHub.Builder builder) {
    this.hub = builder.build();
    hubs.add(hub);
  }

  /** Opens a connection of {@code user} with a one-hour token and reads its {@code connected} frame. */
  RecordingConnection connect(String user) throws TokenRejectedException {
    RecordingConnection c = open(user, TestTokens.token(user));
    JsonObject connected = c.assertFrame("connected");
    assertEquals("Connected to live updates", connected.get("message").getAsString());
    return c;
  }

  /** Opens a connection with {@code token}; reads nothing. */
  RecordingConnection open(String user, String token) throws TokenRejectedException {
    RecordingConnection c = new RecordingConnection(user);
    sessions.put(c, hub.open(c, hub.authenticate(token)));
    return c;
  }

  HubSession session(RecordingConnection c) {
    return sessions.get(c);
  }

  void send(RecordingConnection c, String text) {
    sessions.get(c).onText(text);
  }

  void subscribe(RecordingConnection c, String jobId) {
    send(c, "{\"type\":\"subscribe\",\"data\":{\"jobId\":\"" + jobId + "\"}}");
  }

  /** Sends ping and asserts pong: proves the session still answers. */
  void assertAnswersPing(RecordingConnection c) {
    send(c, "{\"type\":\"ping\"}");
    c.assertFrame("pong");
  }

  /** Sends ping and collects every progress frame that arrives before the pong into {@code progress}. */
  void assertAnswersPingSkipping(RecordingConnection c, List<JsonObject> progress) {
    send(c, "{\"type\":\"ping\"}");
    while (true) {
      JsonObject o = c.next();
      String type = o.get("type").getAsString();
      if (type.equals("pong")) {
        return;
      }
      assertEquals("progress", type, () -> "frame " + o);
      progress.add(o);
    }
  }

  /** The next frame that is not of one of the {@code skipped} types (for timer frames that may interleave). */
  static JsonObject nextSkipping(RecordingConnection c, String... skipped) {
    while (true) {
      JsonObject o = c.next();
      if (!List.of(skipped).contains(o.get("type").getAsString())) {
        return o;
      }
    }
  }

  @Override
  public void close() {
    hubs.forEach(JobProgressHub::close);
  }
}
