package io.jobprogress.examples.demo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo's whole behaviour (the demo README's HTTP API and docs/protocol.md) against the built
 * jar started as a real process, in memory mode, with java.net.http as HTTP and WebSocket client.
 */
class DemoContractIT {
  static final String SECRET = "demo-contract-test-secret-0123456789abcdef";
  static DemoProcess demo;
  static Api api;

  @BeforeAll
  static void startDemo() throws Exception {
    // every test registers its own user from this one address: no auth rate limit here (DemoAbuseLimitsIT has it)
    demo = DemoProcess.startDemo(Map.of("JWT_SECRET", SECRET, "DEMO_STEP_MS", "150", "DEMO_AUTH_PER_MINUTE", "0"));
    api = new Api(demo.url());
  }

  @AfterAll
  static void stopDemo() {
    if (demo != null) {
      demo.close();
    }
  }

  static String email() {
    return "user-" + UUID.randomUUID() + "@example.com";
  }

  @Test
  void registerAnswers201WithATokenAndTheUser() throws Exception {
    String email = email();
    Api.Response r = api.post("/api/auth/register", Api.credentials(email, "password123"), null);
    assertEquals(201, r.status(), r.body());
    JsonObject user = r.json().getAsJsonObject("user");
    assertEquals(email, user.get("email").getAsString());
    assertFalse(user.get("id").getAsString().isEmpty());
    assertEquals(3, r.get("accessToken").split("\\.").length, "a JWT");
  }

  @Test
  void registeringATakenEmailAnswers409() throws Exception {
    String email = email();
    api.register(email);
    Api.Response again = api.post("/api/auth/register", Api.credentials(email.toUpperCase(), "password456"), null);
    assertEquals(409, again.status(), again.body());
  }

  @Test
  void invalidRegistrationBodiesAnswer400AndTheServerKeepsWorking() throws Exception {
    for (String body : List.of("not json", "[]", "{}", "{\"email\":\"a@b.c\"}", "{\"email\":42,\"password\":\"password123\"}",
        "{\"email\":\"no-at-sign\",\"password\":\"password123\"}", "{\"email\":\"a@b.c\",\"password\":\"short\"}")) {
      Api.Response r = api.post("/api/auth/register", body, null);
      assertEquals(400, r.status(), body + " -> " + r.body());
      assertFalse(r.get("error").isEmpty());
    }
    api.register(email());
  }

  @Test
  void loginWithTheRightPasswordAnswers200AndOtherwise401() throws Exception {
    String email = email();
    api.register(email);
    Api.Response ok = api.post("/api/auth/login", Api.credentials(email, "password123"), null);
    assertEquals(200, ok.status(), ok.body());
    assertEquals(email, ok.json().getAsJsonObject("user").get("email").getAsString());
    String token = ok.get("accessToken");
    assertEquals(202, api.post("/api/generate-from-prompt", "{\"prompt\":\"x\"}", token).status());

    assertEquals(401, api.post("/api/auth/login", Api.credentials(email, "wrong-password"), null).status());
    assertEquals(401, api.post("/api/auth/login", Api.credentials(email(), "password123"), null).status());
  }

  @Test
  void requestsWithoutAValidTokenAnswer401() throws Exception {
    String forged = token("u-someone", "another-secret-of-at-least-32-bytes-long!!");
    for (String token : new String[] {null, "garbage", forged}) {
      assertEquals(401, api.post("/api/generate-from-prompt", "{\"prompt\":\"x\"}", token).status());
      assertEquals(401, api.get("/api/jobs/job-1", token).status());
    }
  }

  @Test
  void meAnswersTheUserOfAValidTokenAnd401Otherwise() throws Exception {
    String token = api.register(email());
    Api.Response me = api.get("/api/auth/me", token);
    assertEquals(200, me.status(), me.body());
    assertEquals(userIdOf(token), me.get("id"));
    assertEquals(401, api.get("/api/auth/me", "garbage").status());
    assertEquals(401, api.get("/api/auth/me", null).status());
  }

  @Test
  void meAndTheJobApiRefuseATokenWithExpNull() throws Exception {
    String token = api.register(email());
    String user = userIdOf(token);
    // signed with the demo's own secret, so only the exp rule can refuse it
    String eternal = signRaw("{\"sub\":\"" + user + "\",\"iat\":" + Instant.now().getEpochSecond() + ",\"exp\":null}");
    assertEquals(401, api.get("/api/auth/me", eternal).status());
    assertEquals(401, api.post("/api/generate-from-prompt", "{\"prompt\":\"x\"}", eternal).status());
    assertEquals(401, api.get("/api/jobs/job-1", eternal).status());
    assertEquals(200, api.get("/api/auth/me", token).status(), "the real token still works");
  }

  /** HS256 over a raw payload (what a claims builder would not write, e.g. {@code "exp": null}). */
  static String signRaw(String payloadJson) throws Exception {
    String input = com.nimbusds.jose.util.Base64URL.encode("{\"alg\":\"HS256\"}") + "."
        + com.nimbusds.jose.util.Base64URL.encode(payloadJson);
    return input + "." + new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8))
        .sign(new JWSHeader(JWSAlgorithm.HS256), input.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void anyTokenSignedWithTheSharedSecretIsAccepted() throws Exception {
    String token = token("u-" + UUID.randomUUID(), SECRET);
    String jobId = api.generate(token, "made elsewhere");
    assertEquals(200, api.get("/api/jobs/" + jobId, token).status());
  }

  @Test
  void generateAnswers202QueuedAndProgressArrivesInOrderUntilCompleted() throws Exception {
    String token = api.register(email());
    Api.Response r = api.post("/api/generate-from-prompt", "{\"prompt\":\"a lighthouse\"}", token);
    assertEquals(202, r.status(), r.body());
    assertEquals("queued", r.get("status"));
    String jobId = r.get("jobId");

    try (WsRecorder ws = WsRecorder.connect(demo.ws("/ws?token=" + token))) {
      assertEquals("Connected to live updates", ws.next("connected").get("message").getAsString());
      ws.send("{\"type\":\"subscribe\",\"data\":{\"jobId\":\"" + jobId + "\"}}");
      assertEquals(jobId, ws.next("subscribed").get("jobId").getAsString());
      List<JsonObject> progress = readUntilTerminal(ws, jobId);
      JsonObject last = progress.get(progress.size() - 1);
      assertEquals("completed", last.get("status").getAsString());
      assertEquals(100, last.get("progress").getAsInt());
      assertTrue(progress.stream().anyMatch(f -> f.get("message").getAsString().equals("Rendering output...")),
          "the rendering step was delivered: " + progress);
    }
  }

  @Test
  void thePollingSnapshotHasTheProgressFrameFields() throws Exception {
    String token = api.register(email());
    String jobId = api.generate(token, "poll me");
    Api.Response first = api.get("/api/jobs/" + jobId, token);
    assertEquals(200, first.status(), first.body());
    JsonObject snap = first.json();
    for (String field : List.of("type", "jobId", "userId", "status", "progress", "stage", "message", "timestamp")) {
      assertTrue(snap.has(field), field + " in " + snap);
    }
    assertEquals("progress", snap.get("type").getAsString());
    assertEquals(jobId, snap.get("jobId").getAsString());
    await().atMost(Duration.ofSeconds(30))
        .until(() -> api.get("/api/jobs/" + jobId, token).json().get("status").getAsString().equals("completed"));
    assertEquals(100, api.get("/api/jobs/" + jobId, token).json().get("progress").getAsInt());
  }

  @Test
  void anotherUsersJobIs404AndItsSubscriptionIsRefusedWithoutAnyProgress() throws Exception {
    String alice = api.register(email());
    String bob = api.register(email());
    String jobId = api.generate(alice, "alice's secret picture");

    assertEquals(404, api.get("/api/jobs/" + jobId, bob).status());
    assertEquals(404, api.get("/api/jobs/job-does-not-exist", bob).status());
    assertEquals(404, api.get("/api/jobs/" + jobId + "%20bad", alice).status());

    try (WsRecorder ws = WsRecorder.connect(demo.ws("/ws?token=" + bob))) {
      ws.next("connected");
      ws.send("{\"type\":\"subscribe\",\"data\":{\"jobId\":\"" + jobId + "\"}}");
      JsonObject refused = ws.next("error");
      ws.send("{\"type\":\"subscribe\",\"data\":{\"jobId\":\"job-does-not-exist\"}}");
      JsonObject unknown = ws.next("error");
      assertEquals(refused.get("error"), unknown.get("error"), "the refusal does not reveal whether the job exists");
      ws.send("{\"type\":\"ping\"}");
      ws.next("pong");
      assertEquals(0, ws.pending(), "no progress of alice's job reached bob");
    }
  }

  @Test
  void badFramesGetErrorFramesAndTheConnectionKeepsWorking() throws Exception {
    String token = api.register(email());
    String jobId = api.generate(token, "still works");
    try (WsRecorder ws = WsRecorder.connect(demo.ws("/ws?token=" + token))) {
      ws.next("connected");
      for (String bad : List.of("not json", "{\"type\":\"dance\"}", "{\"type\":\"subscribe\",\"data\":{}}",
          "{\"type\":\"subscribe\",\"data\":\"x\"}")) {
        ws.send(bad);
        ws.next("error");
      }
      ws.send("{\"type\":\"subscribe\",\"data\":{\"jobId\":\"" + jobId + "\"}}");
      ws.next("subscribed");
      assertEquals("completed", last(readUntilTerminal(ws, jobId)).get("status").getAsString());
    }
  }

  @Test
  void aWebSocketWithoutAValidTokenIsClosedWith1008() throws Exception {
    try (WsRecorder ws = WsRecorder.connect(demo.ws("/ws?token=garbage"))) {
      assertEquals("1008 invalid_token", ws.awaitClose());
      assertEquals(0, ws.pending());
    }
    try (WsRecorder ws = WsRecorder.connect(demo.ws("/ws"))) {
      assertEquals("1008 invalid_token", ws.awaitClose());
    }
  }

  @Test
  void nonBrowserClientsMayPresentTheTokenInTheAuthorizationHeader() throws Exception {
    String token = api.register(email());
    String jobId = api.generate(token, "from a script");
    try (WsRecorder ws = WsRecorder.connect(demo.ws("/ws"), token)) {
      ws.next("connected");
      ws.send("{\"type\":\"subscribe\",\"data\":{\"jobId\":\"" + jobId + "\"}}");
      ws.next("subscribed");
      assertEquals("completed", last(readUntilTerminal(ws, jobId)).get("status").getAsString());
    }
  }

  @Test
  void aPromptContainingFailEndsFailed() throws Exception {
    String token = api.register(email());
    String jobId = api.generate(token, "please fail");
    try (WsRecorder ws = WsRecorder.connect(demo.ws("/ws?token=" + token))) {
      ws.next("connected");
      ws.send("{\"type\":\"subscribe\",\"data\":{\"jobId\":\"" + jobId + "\"}}");
      ws.next("subscribed");
      JsonObject end = last(readUntilTerminal(ws, jobId));
      assertEquals("failed", end.get("status").getAsString());
      assertTrue(end.get("message").getAsString().contains("inference failed"), end.toString());
    }
    assertEquals("failed", api.get("/api/jobs/" + jobId, token).json().get("status").getAsString());
  }

  @Test
  void statsCountTheConnectionsOfEachUser() throws Exception {
    String token = api.register(email());
    String userId = userIdOf(token);
    try (WsRecorder a = WsRecorder.connect(demo.ws("/ws?token=" + token));
        WsRecorder b = WsRecorder.connect(demo.ws("/ws?token=" + token))) {
      a.next("connected");
      b.next("connected");
      Api.Response r = api.get("/api/ws/stats", null);
      assertEquals(200, r.status());
      JsonObject stats = r.json();
      assertTrue(stats.get("totalUsers").getAsInt() >= 1, stats.toString());
      assertTrue(stats.get("totalClients").getAsInt() >= 2, stats.toString());
      assertEquals(2, connectionsOf(stats.getAsJsonArray("clientsByUser"), userId), stats.toString());
    }
    await().atMost(Duration.ofSeconds(10)).until(() ->
        connectionsOf(api.get("/api/ws/stats", null).json().getAsJsonArray("clientsByUser"), userId) == 0);
  }

  // ------------------------------------------------------------------ helpers

  /** Reads progress frames of {@code jobId} until a terminal one, asserting order on the way. */
  static List<JsonObject> readUntilTerminal(WsRecorder ws, String jobId) throws InterruptedException {
    List<JsonObject> frames = new ArrayList<>();
    int lastProgress = -1;
    long lastSeq = -1;
    while (true) {
      JsonObject f = ws.next("progress");
      assertEquals(jobId, f.get("jobId").getAsString());
      int p = f.get("progress").getAsInt();
      long seq = f.get("seq").getAsLong();
      String status = f.get("status").getAsString();
      assertTrue(p >= lastProgress || status.equals("failed"), "progress never goes back: " + frames + " then " + f);
      assertTrue(seq > lastSeq, "seq rises: " + frames + " then " + f);
      assertTrue(f.has("timestamp") && f.has("stage") && f.has("message") && f.has("userId"), f.toString());
      lastProgress = p;
      lastSeq = seq;
      frames.add(f);
      if (List.of("completed", "failed", "cancelled").contains(status)) {
        return frames;
      }
    }
  }

  static JsonObject last(List<JsonObject> frames) {
    return frames.get(frames.size() - 1);
  }

  static int connectionsOf(JsonArray byUser, String userId) {
    for (JsonElement e : byUser) {
      if (e.getAsJsonObject().get("userId").getAsString().equals(userId)) {
        return e.getAsJsonObject().get("connections").getAsInt();
      }
    }
    return 0;
  }

  static String userIdOf(String token) throws Exception {
    return SignedJWT.parse(token).getJWTClaimsSet().getSubject();
  }

  static String token(String subject, String secret) throws Exception {
    JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(subject)
        .expirationTime(Date.from(Instant.now().plusSeconds(600))).build();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
    return jwt.serialize();
  }
}
