package io.jobprogress.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The hub speaks the contract with a recording connection; no container involved. */
class JobProgressHubTest {
  private final JobProgressHub hub = JobProgressHub.builder().tokenVerifier(TestTokens.verifier()).build();

  @AfterEach
  void close() {
    hub.close();
  }

  private RecordingConnection connect(String user) throws Exception {
    RecordingConnection c = new RecordingConnection(user);
    HubSession s = hub.open(c, hub.authenticate(TestTokens.token(user)));
    sessions.put(c, s);
    c.assertFrame("connected");
    return c;
  }

  private final java.util.Map<RecordingConnection, HubSession> sessions = new java.util.HashMap<>();

  private void send(RecordingConnection c, String text) {
    sessions.get(c).onText(text);
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
    assertEquals(1, hub.getStats().totalClients());
    sessions.get(alice).onClose();
    assertEquals(0, hub.getStats().totalClients());
    assertTrue(hub.registry().isEmpty());
  }
}
