package io.jobprogress.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The hub's limits: subscriptions per connection, connections per user, message rate. Others are unaffected. */
class JobProgressHubLimitsTest {
  private HubFixture fx;

  private HubFixture hub(HubSettings settings) {
    fx = new HubFixture(settings);
    return fx;
  }

  @AfterEach
  void close() {
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void subscriptionBeyondTheLimitIsRefusedAndEarlierOnesKeepDelivering() throws Exception {
    HubFixture fx = hub(HubSettings.builder().maxSubscriptionsPerConnection(2).build());
    for (String j : List.of("j1", "j2", "j3")) {
      fx.hub.publishJobUpdate(ProgressEvent.queued(j, "alice"));
    }
    RecordingConnection alice = fx.connect("alice");
    for (String j : List.of("j1", "j2")) {
      fx.subscribe(alice, j);
      alice.assertFrame("subscribed");
      alice.assertProgress(j, 0);
    }
    fx.subscribe(alice, "j3");
    assertEquals("j3", alice.assertError(ErrorCode.SUBSCRIPTION_LIMIT).get("jobId").getAsString());
    fx.subscribe(alice, "j1");
    alice.assertFrame("subscribed"); // re-subscribing to a held job is not a new subscription
    alice.assertProgress("j1", 0);
    fx.hub.publishJobUpdate(ProgressEvent.of("j3", "alice", JobStatus.PROCESSING, 30, "", ""));
    fx.hub.publishJobUpdate(ProgressEvent.of("j2", "alice", JobStatus.PROCESSING, 20, "", ""));
    alice.assertProgress("j2", 20);
    alice.assertNoMoreFrames();
    fx.send(alice, "{\"type\":\"unsubscribe\",\"data\":{\"jobId\":\"j1\"}}");
    alice.assertFrame("unsubscribed");
    fx.subscribe(alice, "j3");
    alice.assertFrame("subscribed");
    alice.assertProgress("j3", 30);
  }

  @Test
  void connectionBeyondTheLimitIsClosedWithConnectionLimitAndTheOthersKeepWorking() throws Exception {
    HubFixture fx = hub(HubSettings.builder().maxConnectionsPerUser(2).build());
    fx.hub.publishJobUpdate(ProgressEvent.queued("j", "alice"));
    RecordingConnection a1 = fx.connect("alice");
    RecordingConnection a2 = fx.connect("alice");
    RecordingConnection a3 = fx.open("alice", TestTokens.token("alice"));
    assertEquals(CloseReason.CONNECTION_LIMIT, a3.closedWith());
    assertEquals(1008, a3.closedWith().code());
    a3.assertNoMoreFrames(); // a refused connection is never told it is connected
    assertFalse(fx.session(a3).isOpen());
    assertEquals(new RegistryStats(1, 2, List.of(new RegistryStats.UserConnections("alice", 2))), fx.hub.stats().connections());
    for (RecordingConnection c : List.of(a1, a2)) {
      fx.subscribe(c, "j");
      c.assertFrame("subscribed");
      c.assertProgress("j", 0);
    }
    fx.hub.publishJobUpdate(ProgressEvent.of("j", "alice", JobStatus.PROCESSING, 40, "", ""));
    a1.assertProgress("j", 40);
    a2.assertProgress("j", 40);
    fx.assertAnswersPing(a1);
    assertNull(a1.closedWith());
    // another user is not limited by alice's connections, and a freed slot is usable again
    fx.connect("bob");
    fx.session(a1).onClose();
    RecordingConnection a4 = fx.connect("alice");
    assertNull(a4.closedWith());
  }

  @Test
  void connectionBeyondTheInstanceCapIsClosedWithTryLaterWithoutConnectedAndAFreedSlotIsUsable() throws Exception {
    HubFixture fx = hub(HubSettings.builder().maxConnections(2).maxConnectionsPerUser(1).build());
    fx.hub.publishJobUpdate(ProgressEvent.queued("j", "alice"));
    RecordingConnection alice = fx.connect("alice");
    RecordingConnection bob = fx.connect("bob");
    RecordingConnection carol = fx.open("carol", TestTokens.token("carol"));
    assertEquals(CloseReason.TRY_LATER, carol.closedWith());
    assertEquals(1013, carol.closedWith().code());
    assertEquals("try_later", carol.closedWith().reason());
    carol.assertNoMoreFrames(); // never told it is connected
    assertFalse(fx.session(carol).isOpen());
    assertEquals(1L, fx.hub.stats().connectionsRefusedAtCapacity());
    assertEquals(new RegistryStats(2, 2, List.of(new RegistryStats.UserConnections("alice", 1),
        new RegistryStats.UserConnections("bob", 1))), fx.hub.stats().connections());
    // closing the refused connection did not free a slot it never held
    assertEquals(CloseReason.TRY_LATER, fx.open("dave", TestTokens.token("dave")).closedWith());
    fx.subscribe(alice, "j");
    alice.assertFrame("subscribed");
    alice.assertProgress("j", 0);
    fx.assertAnswersPing(bob);
    // a closed connection frees its slot
    fx.session(bob).onClose();
    RecordingConnection erin = fx.connect("erin");
    assertNull(erin.closedWith());
    // a per-user refusal holds no slot either: with one slot free, it leaves room for exactly one more
    fx.session(erin).onClose();
    assertEquals(CloseReason.CONNECTION_LIMIT, fx.open("alice", TestTokens.token("alice")).closedWith());
    assertNull(fx.connect("frank").closedWith());
    assertEquals(CloseReason.TRY_LATER, fx.open("grace", TestTokens.token("grace")).closedWith());
  }

  @Test
  void floodingGetsRateLimitErrorsThenCloseWhileAnotherClientKeepsReceiving() throws Exception {
    // a bucket that practically never refills: 2 frames pass, then every frame is over the limit
    HubFixture fx = hub(HubSettings.builder().messagesPerSecond(0.0001).messageBurst(2).floodCloseAfter(3).build());
    fx.hub.publishJobUpdate(ProgressEvent.queued("bobs-job", "bob"));
    RecordingConnection bob = fx.connect("bob");
    fx.subscribe(bob, "bobs-job");
    bob.assertFrame("subscribed");
    bob.assertProgress("bobs-job", 0);

    RecordingConnection flooder = fx.connect("mallory");
    fx.assertAnswersPing(flooder);
    fx.assertAnswersPing(flooder);
    fx.send(flooder, "{\"type\":\"ping\"}");
    flooder.assertError(ErrorCode.RATE_LIMITED);
    fx.send(flooder, "{\"type\":\"ping\"}");
    flooder.assertError(ErrorCode.RATE_LIMITED);
    fx.send(flooder, "{\"type\":\"ping\"}");
    assertEquals(CloseReason.RATE_LIMITED, flooder.closedWith());
    assertFalse(fx.session(flooder).isOpen());
    flooder.assertNoMoreFrames();

    fx.hub.publishJobUpdate(ProgressEvent.of("bobs-job", "bob", JobStatus.PROCESSING, 70, "", ""));
    bob.assertProgress("bobs-job", 70);
    assertNull(bob.closedWith());
    assertEquals(new RegistryStats(1, 1, List.of(new RegistryStats.UserConnections("bob", 1))), fx.hub.stats().connections());
    assertTrue(fx.hub.stats().rateLimitedFrames() >= 3);
  }
}
