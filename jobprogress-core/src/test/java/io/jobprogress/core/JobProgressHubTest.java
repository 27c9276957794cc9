package io.jobprogress.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The hub speaks the protocol (docs/protocol.md) with a recording connection; no container involved. */
class JobProgressHubTest {
  private final HubFixture fx = new HubFixture(HubSettings.defaults());
  private final JobProgressHub hub = fx.hub;

  @AfterEach
  void close() {
    fx.close();
  }

  private RecordingConnection connect(String user) throws Exception {
    return fx.connect(user);
  }

  private void send(RecordingConnection c, String text) {
    fx.send(c, text);
  }

  @Test
  void subscribedClientReceivesProgressInOrderThenCompleted() throws Exception {
    hub.publishJobUpdate(ProgressEvent.queued("job-1", "alice"));
    RecordingConnection alice = connect("alice");
    send(alice, "{\"type\":\"subscribe\",\"data\":{\"jobId\":\"job-1\"}}");
    assertEquals("job-1", alice.assertFrame("subscribed").get("jobId").getAsString());
    assertEquals("queued", alice.assertProgress("job-1", 0).get("status").getAsString());
    hub.publishJobUpdate(ProgressEvent.of("job-1", "alice", JobStatus.PROCESSING, 45, "inference", "Running"));
    hub.publishJobUpdate(ProgressEvent.completed("job-1", "alice", "done"));
    assertEquals(2, alice.assertProgress("job-1", 45).get("seq").getAsLong());
    assertEquals("completed", alice.assertProgress("job-1", 100).get("status").getAsString());
    alice.assertNoMoreFrames();
  }

  @Test
  void subscribeToAnotherUsersJobIsRefusedLikeAnUnknownJob() throws Exception {
    hub.publishJobUpdate(ProgressEvent.queued("bobs-job", "bob"));
    RecordingConnection alice = connect("alice");
    send(alice, "{\"type\":\"subscribe\",\"data\":{\"jobId\":\"bobs-job\"}}");
    String other = alice.assertError(ErrorCode.FORBIDDEN).get("error").getAsString();
    send(alice, "{\"type\":\"subscribe\",\"data\":{\"jobId\":\"no-such-job\"}}");
    assertEquals(other, alice.assertError(ErrorCode.FORBIDDEN).get("error").getAsString());
    hub.publishJobUpdate(ProgressEvent.completed("bobs-job", "bob", "done"));
    send(alice, "{\"type\":\"ping\"}");
    alice.assertFrame("pong");
    alice.assertNoMoreFrames();
  }

  @Test
  void disconnectEmptiesTheRegistryAndStats() throws Exception {
    hub.publishJobUpdate(ProgressEvent.queued("j", "alice"));
    RecordingConnection alice = connect("alice");
    send(alice, "{\"type\":\"subscribe\",\"data\":{\"jobId\":\"j\"}}");
    assertEquals(1, hub.stats().connections().totalClients());
    fx.session(alice).onClose();
    assertEquals(0, hub.stats().connections().totalClients());
    assertTrue(hub.registry().isEmpty());
  }

  @Test
  void pingIsAnsweredWithPongCarryingATimestamp() throws Exception {
    RecordingConnection alice = connect("alice");
    send(alice, "{\"type\":\"ping\"}");
    String ts = alice.assertFrame("pong").get("timestamp").getAsString();
    assertTrue(ts.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z"), ts);
    alice.assertNoMoreFrames();
  }

  @Test
  void unsubscribeStopsDeliveryForThatJobOnly() throws Exception {
    hub.publishJobUpdate(ProgressEvent.queued("j1", "alice"));
    hub.publishJobUpdate(ProgressEvent.queued("j2", "alice"));
    RecordingConnection alice = connect("alice");
    fx.subscribe(alice, "j1");
    alice.assertFrame("subscribed");
    alice.assertProgress("j1", 0);
    fx.subscribe(alice, "j2");
    alice.assertFrame("subscribed");
    alice.assertProgress("j2", 0);
    send(alice, "{\"type\":\"unsubscribe\",\"data\":{\"jobId\":\"j1\"}}");
    assertEquals("j1", alice.assertFrame("unsubscribed").get("jobId").getAsString());
    hub.publishJobUpdate(ProgressEvent.of("j1", "alice", JobStatus.PROCESSING, 50, "", ""));
    hub.publishJobUpdate(ProgressEvent.of("j2", "alice", JobStatus.PROCESSING, 60, "", ""));
    alice.assertProgress("j2", 60);
    fx.assertAnswersPing(alice);
    alice.assertNoMoreFrames();
  }

  @Test
  void aUserWithSeveralConnectionsGetsProgressOnEachSubscribedOne() throws Exception {
    hub.publishJobUpdate(ProgressEvent.queued("j", "alice"));
    RecordingConnection tab1 = connect("alice");
    RecordingConnection tab2 = connect("alice");
    RecordingConnection idle = connect("alice");
    for (RecordingConnection c : List.of(tab1, tab2)) {
      fx.subscribe(c, "j");
      c.assertFrame("subscribed");
      c.assertProgress("j", 0);
    }
    hub.publishJobUpdate(ProgressEvent.of("j", "alice", JobStatus.PROCESSING, 10, "", ""));
    tab1.assertProgress("j", 10);
    tab2.assertProgress("j", 10);
    idle.assertNoMoreFrames();
  }

  @Test
  void malformedFramesOfEveryKindGetAnErrorAndTheSessionKeepsAnswering() throws Exception {
    Map<String, ErrorCode> bad = new LinkedHashMap<>();
    bad.put("{not json", ErrorCode.INVALID_JSON);
    bad.put("[1,2]", ErrorCode.NOT_AN_OBJECT);
    bad.put("{\"data\":{}}", ErrorCode.MISSING_TYPE);
    bad.put("{\"type\":\"dance\"}", ErrorCode.UNKNOWN_TYPE);
    bad.put("{\"type\":\"subscribe\",\"data\":\"j\"}", ErrorCode.INVALID_DATA);
    bad.put("{\"type\":\"subscribe\",\"data\":{}}", ErrorCode.MISSING_JOB_ID);
    bad.put("{\"type\":\"subscribe\",\"data\":{\"jobId\":\"job:*\"}}", ErrorCode.INVALID_JOB_ID);
    bad.put("{\"type\":\"refresh\",\"data\":{}}", ErrorCode.MISSING_TOKEN);
    bad.put("[".repeat(100_000), ErrorCode.TOO_COMPLEX);
    RecordingConnection alice = connect("alice");
    for (Map.Entry<String, ErrorCode> e : bad.entrySet()) {
      send(alice, e.getKey());
      alice.assertError(e.getValue());
      fx.assertAnswersPing(alice);
    }
    assertTrue(fx.session(alice).isOpen());
    assertEquals(null, alice.closedWith());
    alice.assertNoMoreFrames();
  }

  @Test
  void latestForAnswersOnlyTheJobsOwner() {
    hub.publishJobUpdate(ProgressEvent.queued("j", "bob"));
    ProgressEvent latest = hub.publishJobUpdate(ProgressEvent.of("j", "bob", JobStatus.PROCESSING, 30, "", ""));
    assertEquals(Optional.of(latest), hub.latestFor("bob", "j"));
    assertEquals(Optional.empty(), hub.latestFor("alice", "j"));
    assertEquals(Optional.empty(), hub.latestFor("bob", "unknown"));
    assertEquals(Optional.empty(), hub.latestFor("bob", "job:*"));
    assertEquals(Optional.empty(), hub.latestFor("bob", null));
  }

  @Test
  void closingTheHubClosesEveryConnectionWithRestartAndRefusesNewOnes() throws Exception {
    RecordingConnection a = connect("alice");
    RecordingConnection b = connect("bob");
    hub.close();
    assertEquals(CloseReason.RESTART, a.closedWith());
    assertEquals(CloseReason.RESTART, b.closedWith());
    assertTrue(hub.registry().isEmpty());
    assertEquals(0, hub.stats().connections().totalClients());
    RecordingConnection late = fx.open("carol", TestTokens.token("carol"));
    assertEquals(CloseReason.RESTART, late.closedWith());
    assertFalse(fx.session(late).isOpen());
    assertTrue(hub.registry().isEmpty());
    hub.close(); // idempotent
  }

  @Test
  void openingAConnectionForAnotherUserThanTheTokensIsRejected() throws Exception {
    AuthenticatedUser bob = hub.authenticate(TestTokens.token("bob"));
    RecordingConnection alice = new RecordingConnection("alice");
    assertThrows(IllegalArgumentException.class, () -> hub.open(alice, bob));
    assertTrue(hub.registry().isEmpty());
  }

  @Test
  void failingAuthorizerAnswersInternalErrorAndTheSessionKeepsWorking() throws Exception {
    try (HubFixture failing = new HubFixture(JobProgressHub.builder().tokenVerifier(TestTokens.verifier())
        .jobAuthorizer((user, job) -> {
          throw new IllegalStateException("jobs table down");
        }))) {
      RecordingConnection alice = failing.connect("alice");
      failing.subscribe(alice, "j");
      assertEquals("j", alice.assertError(ErrorCode.INTERNAL).get("jobId").getAsString());
      failing.assertAnswersPing(alice);
      alice.assertNoMoreFrames();
    }
  }

  @Test
  void aConnectionWhoseSendThrowsDoesNotStopDeliveryToTheOthers() throws Exception {
    hub.publishJobUpdate(ProgressEvent.queued("j", "alice"));
    List<RecordingConnection> healthy = new java.util.ArrayList<>();
    java.util.concurrent.atomic.AtomicInteger brokenSends = null;
    for (int i = 0; i < 6; i++) {
      RecordingConnection c = connect("alice");
      send(c, "{\"type\":\"subscribe\",\"data\":{\"jobId\":\"j\"}}");
      c.assertFrame("subscribed");
      c.assertProgress("j", 0);
      healthy.add(c);
      if (i == 2) { // a session whose transport breaks, in the middle of the subscriber set
        java.util.concurrent.atomic.AtomicBoolean gone = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
        ClientConnection broken = new ClientConnection() {
          @Override public String id() { return "broken"; }
          @Override public String userId() { return "alice"; }
          @Override public void send(OutboundFrame frame) {
            if (gone.get()) {
              refused.incrementAndGet();
              throw new IllegalStateException("socket gone");
            }
          }
          @Override public void close(CloseReason reason) {}
        };
        HubSession s = hub.open(broken, hub.authenticate(TestTokens.token("alice")));
        s.onText("{\"type\":\"subscribe\",\"data\":{\"jobId\":\"j\"}}");
        assertEquals(1, hub.subscriberCount("j") - healthy.size(), "the broken session is subscribed");
        gone.set(true);
        brokenSends = refused;
      }
    }
    hub.publishJobUpdate(ProgressEvent.of("j", "alice", JobStatus.PROCESSING, 50, "", ""));
    assertEquals(1, brokenSends.get(), "the broken session's send was tried, and threw");
    for (RecordingConnection c : healthy) {
      c.assertProgress("j", 50);
    }
  }

  @Test
  void statsJsonKeepsTheDocumentedShapeAndAddsTheBroadcastersHealth() {
    JsonObject o = JsonParser.parseString(hub.stats().toJson()).getAsJsonObject();
    assertEquals(0, o.get("totalUsers").getAsInt());
    assertEquals(0, o.get("totalClients").getAsInt());
    assertTrue(o.get("clientsByUser").getAsJsonArray().isEmpty());
    assertEquals("memory", o.getAsJsonObject("broadcaster").get("type").getAsString());
    assertTrue(o.getAsJsonObject("broadcaster").get("connected").getAsBoolean());
  }
}
