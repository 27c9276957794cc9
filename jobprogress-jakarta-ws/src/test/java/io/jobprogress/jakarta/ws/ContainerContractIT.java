package io.jobprogress.jakarta.ws;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.jobprogress.core.HubSettings;
import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.JobStatus;
import io.jobprogress.core.ProgressEvent;
import io.jobprogress.core.RegistryStats;
import io.jobprogress.core.TestTokens;
import io.jobprogress.jakarta.ws.testing.Container;
import io.jobprogress.jakarta.ws.testing.HubServer;
import io.jobprogress.jakarta.ws.testing.RawWebSocketClient;
import io.jobprogress.jakarta.ws.testing.RecordingClient;
import io.jobprogress.jakarta.ws.testing.StalledClient;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same endpoint, unchanged, speaks the contract in Jetty, Tomcat, Tyrus and Undertow, and over Jetty's
 * WebSocket core without the Jakarta layer ({@link JettyWebSocketHandler}).
 */
@ParameterizedClass(name = "{0}")
@MethodSource("io.jobprogress.jakarta.ws.testing.Container#selected")
class ContainerContractIT {
  private static final String ALLOWED_ORIGIN = "https://app.example.com";
  private static final AtomicInteger ids = new AtomicInteger();
  private static HubServer server;
  private static JobProgressHub hub;

  @Parameter
  Container container;

  @BeforeParameterizedClassInvocation
  static void start(Container container) throws Exception {
    server = HubServer.start(container, HubSettings.defaults(), List.of(ALLOWED_ORIGIN));
    hub = server.hub();
  }

  @AfterParameterizedClassInvocation
  static void stop() throws Exception {
    server.close();
  }

  private static String newId(String prefix) {
    return prefix + "-" + ids.incrementAndGet();
  }

  private static URI uri(String token) {
    return server.wsUri(token);
  }

  private static RecordingClient connect(String user) {
    RecordingClient client = RecordingClient.connect(uri(TestTokens.token(user)));
    client.assertFrame("connected");
    return client;
  }

  private static void publish(String job, String user, JobStatus status, int progress) {
    hub.publishJobUpdate(ProgressEvent.of(job, user, status, progress, status.wireName(), "step " + progress));
  }

  @Test
  void connectedIsTheFirstFrameWithTheTokenInTheQueryOrTheHeader() {
    String user = newId("user");
    try (RecordingClient byQuery = RecordingClient.connect(uri(TestTokens.token(user)));
        RecordingClient byHeader = RecordingClient.connect(uri(null),
            Map.of("Authorization", "Bearer " + TestTokens.token(user)))) {
      JsonObject connected = byQuery.assertFrame("connected");
      assertEquals("Connected to live updates", connected.get("message").getAsString());
      byHeader.assertFrame("connected");
    }
  }

  @Test
  void badMissingOrExpiredTokenIsClosedWith1008BeforeAnyDataFrame() {
    assertRefused(uri("not-a-jwt"), "invalid_token");
    assertRefused(uri(TestTokens.sign("another-secret-another-secret-another-secret",
        new com.nimbusds.jwt.JWTClaimsSet.Builder().subject("mallory").build())), "invalid_token");
    assertRefused(uri(null), "invalid_token");
    assertRefused(uri(TestTokens.token("late", Duration.ofMinutes(-5))), "token_expired");
    assertTrue(hub.stats().connections().clientsByUser().stream().noneMatch(u -> u.userId().equals("mallory")
        || u.userId().equals("late")), "refused connections never reach the registry");
    try (RecordingClient after = connect(newId("user"))) {
      after.assertPingAnswered();
    }
  }

  private static void assertRefused(URI uri, String reason) {
    try (RecordingClient client = RecordingClient.connect(uri)) {
      assertEquals(new RecordingClient.Close(1008, reason), client.awaitClose());
      client.assertNoMoreFrames();
    }
  }

  /**
   * Connects {@code user} with a {@link RawWebSocketClient}, for a client that is still writing when the
   * server closes it: Jetty resets the connection right after its close frame, and the JDK client would
   * drop that frame on its next write's error.
   */
  private static RawWebSocketClient connectRaw(String user) throws IOException {
    return connectRaw(user, false);
  }

  /** As {@link #connectRaw(String)}, offering permessage-deflate when {@code offerDeflate}, as browsers do. */
  private static RawWebSocketClient connectRaw(String user, boolean offerDeflate) throws IOException {
    RawWebSocketClient client =
        RawWebSocketClient.connect(server.port(), "/ws?token=" + TestTokens.token(user), offerDeflate);
    client.assertFrame("connected");
    return client;
  }

  /** Connects {@code user}, subscribes to {@code job} (published as queued) and reads up to its snapshot. */
  private static RecordingClient subscribed(String user, String job) {
    RecordingClient client = connect(user);
    client.subscribe(job);
    assertEquals(job, client.assertFrame("subscribed").get("jobId").getAsString());
    client.assertProgress(job, "queued");
    return client;
  }

  @Test
  void aForeignOriginIsRefusedAtTheHandshakeAndTheAllowedOneConnects() throws Exception {
    String token = TestTokens.token(newId("user"));
    // a raw handshake: the JDK client waits forever on Tyrus' 403, which has no body length
    try (StalledClient refused = StalledClient.connect("127.0.0.1", server.port(), "/ws?token=" + token,
        Map.of("Origin", "https://evil.example"))) {
      String expected = switch (container) {
        case UNDERTOW -> " 404"; // Undertow's own answer to a refused origin
        case JETTY, JETTY_CORE, TOMCAT, TYRUS -> " 403";
      };
      assertTrue(refused.handshakeStatus().contains(expected), refused.handshakeStatus());
    }
    try (RecordingClient allowed = RecordingClient.connect(uri(token), Map.of("Origin", ALLOWED_ORIGIN))) {
      allowed.assertFrame("connected");
      allowed.assertPingAnswered();
    }
  }

  @Test
  void subscribeIsConfirmedThenProgressArrivesInOrderUpToTheFinalState() {
    String user = newId("user");
    String job = newId("job");
    publish(job, user, JobStatus.QUEUED, 0);
    try (RecordingClient client = subscribed(user, job)) {
      for (int p = 10; p <= 90; p += 10) {
        publish(job, user, JobStatus.PROCESSING, p);
      }
      publish(job, user, JobStatus.COMPLETED, 100);
      long lastSeq = 0;
      JsonObject frame;
      do {
        frame = client.assertFrame("progress");
        long seq = frame.get("seq").getAsLong();
        long previous = lastSeq;
        assertTrue(seq > previous, () -> "out of order: " + seq + " after " + previous);
        lastSeq = seq;
      } while (!frame.get("status").getAsString().equals("completed"));
      assertEquals(100, frame.get("progress").getAsInt());
      client.assertPingAnswered();
    }
  }

  @Test
  void lateSubscribeGetsTheLatestProgressAtOnce() {
    String user = newId("user");
    String job = newId("job");
    publish(job, user, JobStatus.QUEUED, 0);
    publish(job, user, JobStatus.PROCESSING, 40);
    try (RecordingClient client = connect(user)) {
      client.subscribe(job);
      client.assertFrame("subscribed");
      assertEquals(40, client.assertProgress(job, "processing").get("progress").getAsInt());
      client.assertPingAnswered();
    }
  }

  /**
   * One event's frame is encoded once and its bytes shared by the connections it goes to (the core
   * transport): each tab, compressed or not, still gets every frame whole, the same text for the same seq,
   * while frames of two jobs alternate.
   */
  @Test
  void everyTabGetsEachProgressFrameWholeWithOrWithoutCompression() throws IOException {
    String user = newId("user");
    List<String> jobs = List.of(newId("job"), newId("job"));
    jobs.forEach(job -> publish(job, user, JobStatus.QUEUED, 0));
    try (RawWebSocketClient deflating = connectRaw(user, true); RawWebSocketClient plain = connectRaw(user, false)) {
      if (container == Container.JETTY_CORE) {
        assertTrue(deflating.compressed(), "Jetty accepts permessage-deflate");
      }
      for (RawWebSocketClient tab : List.of(deflating, plain)) {
        for (String job : jobs) {
          tab.sendText("{\"type\":\"subscribe\",\"data\":{\"jobId\":\"" + job + "\"}}");
          assertEquals(job, tab.assertFrame("subscribed").get("jobId").getAsString());
          assertEquals("queued", tab.assertFrame("progress").get("status").getAsString());
        }
      }
      for (int p = 1; p <= 40; p++) {
        publish(jobs.get(p % 2), user, JobStatus.PROCESSING, p);
      }
      jobs.forEach(job -> publish(job, user, JobStatus.COMPLETED, 100));
      Map<String, JsonObject> seen = new java.util.HashMap<>();
      for (RawWebSocketClient tab : List.of(deflating, plain)) {
        java.util.Set<String> completed = new java.util.HashSet<>();
        while (completed.size() < jobs.size()) {
          JsonObject frame = tab.assertFrame("progress");
          String job = frame.get("jobId").getAsString();
          int progress = frame.get("progress").getAsInt();
          assertTrue(jobs.contains(job), () -> "a frame of another job: " + frame);
          assertEquals(user, frame.get("userId").getAsString());
          assertEquals("step " + progress, frame.get("message").getAsString());
          JsonObject first = seen.putIfAbsent(job + "#" + frame.get("seq").getAsLong(), frame);
          assertTrue(first == null || first.equals(frame), () -> "one seq, two texts: " + first + " and " + frame);
          if (frame.get("status").getAsString().equals("completed")) {
            completed.add(job);
          }
        }
      }
      deflating.sendText("{\"type\":\"ping\"}");
      deflating.assertFrame("pong");
    }
  }

  @Test
  void unsubscribeStopsDelivery() {
    String user = newId("user");
    String job = newId("job");
    publish(job, user, JobStatus.QUEUED, 0);
    try (RecordingClient client = subscribed(user, job)) {
      client.unsubscribe(job);
      client.assertFrame("unsubscribed");
      publish(job, user, JobStatus.PROCESSING, 50);
      client.assertPingAnswered();
      client.assertNoMoreFrames();
    }
  }

  @Test
  void pingIsAnsweredWithPong() {
    try (RecordingClient client = connect(newId("user"))) {
      client.send("{\"type\":\"ping\"}");
      assertTrue(client.assertFrame("pong").has("timestamp"));
    }
  }

  @Test
  void aControlPingGetsItsPongAndAFragmentedMessageIsReadWhole() {
    try (RecordingClient client = connect(newId("user"))) {
      client.assertControlPingAnswered("are-you-there");
      client.sendFragmented("{\"type\":", "\"pi", "ng\"}");
      assertTrue(client.assertFrame("pong").has("timestamp"));
      // a message over the limit in fragments each under it is still over the limit
      client.sendFragmented("{\"type\":\"ping\",\"pad\":\"", "x".repeat(60 * 1024), "x".repeat(10 * 1024) + "\"}");
      assertEquals(new RecordingClient.Close(1009, "message_too_big"), client.awaitClose());
    }
  }

  @Test
  void everyMalformedFrameGetsAnErrorAndTheConnectionStillAnswersPing() {
    List<String> malformed = List.of("not json", "[1,2]", "{}", "{\"type\":42}", "{\"type\":\"dance\"}",
        "{\"type\":\"subscribe\"}", "{\"type\":\"subscribe\",\"data\":\"job\"}",
        "{\"type\":\"subscribe\",\"data\":{}}", "{\"type\":\"subscribe\",\"data\":{\"jobId\":\"no spaces!\"}}",
        "{\"type\":\"unsubscribe\",\"data\":{\"jobId\":\"" + "x".repeat(200) + "\"}}");
    try (RecordingClient client = connect(newId("user"))) {
      for (String frame : malformed) {
        client.send(frame);
        client.assertError();
        client.assertPingAnswered();
      }
    }
  }

  @Test
  void aFrameOf100KibIsClosedWith1009AndOtherClientsAreUnaffected() {
    try (RecordingClient big = connect(newId("user")); RecordingClient other = connect(newId("user"))) {
      big.sendExpectingClose("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(100 * 1024) + "\"}");
      // the library's own reason in every container (docs/protocol.md), not the container's text
      assertEquals(new RecordingClient.Close(1009, "message_too_big"), big.awaitClose());
      other.assertPingAnswered();
    }
  }

  @Test
  void aFrameBeyondTheContainersOwnLimitIsStillClosedWith1009() throws IOException {
    // over twice JP_MAX_FRAME_BYTES the container's limit fires first: the code holds, the reason is its own;
    // the container closes while the frame is still being written, hence the raw client
    try (RawWebSocketClient huge = connectRaw(newId("user")); RecordingClient other = connect(newId("user"))) {
      huge.sendTextExpectingClose("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(300 * 1024) + "\"}");
      RecordingClient.Close close = huge.awaitClose();
      assertEquals(1009, close.code());
      if (container == Container.JETTY_CORE) {
        // the core transport counts a message's bytes as they arrive: the library's reason at any size
        assertEquals("message_too_big", close.reason());
      }
      other.assertPingAnswered();
    }
  }

  @Test
  void aBinaryFrameIsClosedWith1003AndNoBinaryStreamGetsThroughWhileOtherClientsAreUnaffected() throws IOException {
    String user = newId("user");
    String streamer = newId("user");
    // the library closes at the first fragment, while the frame may still be being written: a raw client
    try (RawWebSocketClient binary = connectRaw(user); RawWebSocketClient stream = connectRaw(streamer);
        RecordingClient other = connect(newId("user"))) {
      binary.sendBinaryExpectingClose(new byte[60 * 1024]);
      assertEquals(new RecordingClient.Close(1003, "unsupported_data"), binary.awaitClose());
      assertEquals(0, binary.pendingFrames(), "a frame after connected");
      // 60 KB frames sent back to back, as in the attack that pushed 706 MB through one connection: the
      // first one is answered with 1003; Jetty and Tyrus then reset the connection, Tomcat and Undertow
      // discard what follows until the client answers the close (how many frames pass meanwhile depends
      // only on how fast the client reads, so it is not asserted)
      stream.sendBinaryUntilClosed(60 * 1024);
      assertEquals(new RecordingClient.Close(1003, "unsupported_data"), stream.awaitClose());
      // the clients end their TCP connections before the registry is checked. Standalone Tyrus (its Grizzly
      // filter) can run a connection's upgrade request once more when the connection's last bytes are read
      // after it dropped the connection's WebSocket: a second onOpen with the streamer's own token on the
      // same TCP connection, which the container closes only with that connection (CI, 2026-11-29: "Client
      // authenticated: user-80" after "Client disconnected: user-80", no second disconnect within 10 s)
      binary.close();
      stream.close();
      await().atMost(Duration.ofSeconds(10)).until(() -> connectionsOf(user) == 0 && connectionsOf(streamer) == 0);
      other.assertPingAnswered();
      try (RecordingClient again = connect(user)) {
        again.assertPingAnswered();
      }
    }
  }

  @Test
  void subscribeToAnotherUsersJobIsRefusedLikeAnUnknownJob() {
    String bob = newId("bob");
    String job = newId("job");
    publish(job, bob, JobStatus.PROCESSING, 30);
    try (RecordingClient alice = connect(newId("alice"))) {
      alice.subscribe(job);
      JsonObject refused = alice.assertError();
      alice.subscribe(newId("unknown"));
      JsonObject unknown = alice.assertError();
      assertEquals(unknown.get("error"), refused.get("error"), "no existence leak");
      publish(job, bob, JobStatus.COMPLETED, 100);
      alice.assertPingAnswered();
      alice.assertNoMoreFrames();
    }
  }

  @Test
  void disconnectRemovesTheConnectionFromTheRegistryAndTheStats() {
    String user = newId("user");
    RecordingClient client = connect(user);
    client.assertPingAnswered();
    assertEquals(1, connectionsOf(user));
    client.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> connectionsOf(user) == 0);
    assertTrue(hub.connectionIdsOf(user).isEmpty());
  }

  private static int connectionsOf(String user) {
    RegistryStats stats = hub.stats().connections();
    return stats.clientsByUser().stream().filter(u -> u.userId().equals(user))
        .mapToInt(RegistryStats.UserConnections::connections).sum();
  }
}
