package io.jobprogress.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link JobProgressHub#close()} as the one owner of shutdown: what it closes, in which order, what a
 * connection still gets before its 1012, and a connection that opens while the hub closes.
 */
class JobProgressHubCloseTest {
  private final List<String> steps = new CopyOnWriteArrayList<>();
  private final StepBroadcaster broadcaster = new StepBroadcaster();
  private final HubFixture fx = new HubFixture(JobProgressHub.builder().tokenVerifier(TestTokens.verifier())
      .broadcaster(broadcaster));

  @AfterEach
  void close() {
    fx.close();
  }

  /** An in-memory broadcaster that records its close and can run a probe when a user's first connection registers. */
  private final class StepBroadcaster implements Broadcaster {
    private final InMemoryBroadcaster inner = new InMemoryBroadcaster();
    volatile Consumer<String> onFirstConnectionOf = user -> { };

    @Override
    public void start(Listener listener) {
      inner.start(listener);
    }

    @Override
    public ProgressEvent publish(ProgressEvent event) {
      return inner.publish(event);
    }

    @Override
    public void interest(Scope scope, String id, boolean interested) {
      if (scope == Scope.USER && interested) {
        onFirstConnectionOf.accept(id);
      }
    }

    @Override
    public SnapshotStore store() {
      return inner.store();
    }

    @Override
    public Map<String, Object> stats() {
      return inner.stats();
    }

    @Override
    public void close() {
      steps.add("broadcaster");
      inner.close();
    }
  }

  @Test
  void closeTellsTheConnectionsThenClosesTheRegisteredTransportsInReverseOrderThenTheBroadcaster()
      throws Exception {
    RecordingConnection alice = fx.connect("alice");
    fx.hub.closeWith(() -> steps.add("first transport, connection closed: " + (alice.closedWith() != null)));
    fx.hub.closeWith(() -> steps.add("second transport"));
    fx.hub.close();
    assertEquals(CloseReason.RESTART, alice.closedWith());
    assertEquals(List.of("second transport", "first transport, connection closed: true", "broadcaster"), steps);
    fx.hub.close();
    assertEquals(3, steps.size(), "a second close does nothing: " + steps);
  }

  @Test
  void aResourceRegisteredAfterCloseIsClosedAtOnce() {
    fx.hub.close();
    fx.hub.closeWith(() -> steps.add("late transport"));
    assertEquals(List.of("broadcaster", "late transport"), steps);
  }

  @Test
  void aFailingTransportDoesNotStopTheRestOfTheShutdown() throws Exception {
    RecordingConnection alice = fx.connect("alice");
    fx.hub.closeWith(() -> {
      throw new IllegalStateException("transport: cannot stop");
    });
    fx.hub.close();
    assertEquals(CloseReason.RESTART, alice.closedWith());
    assertEquals(List.of("broadcaster"), steps);
  }

  @Test
  void anUpdateWaitingForItsBatchIsSentBeforeTheRestartClose() throws Exception {
    fx.hub.publishJobUpdate(ProgressEvent.queued("j", "alice"));
    RecordingConnection alice = fx.connect("alice");
    fx.send(alice, "{\"type\":\"options\",\"data\":{\"batch\":true,\"batchWindowMs\":1000}}");
    alice.assertFrame("options");
    fx.subscribe(alice, "j");
    alice.assertFrame("subscribed");
    fx.hub.publishJobUpdate(ProgressEvent.completed("j", "alice", "done"));
    fx.hub.close();
    // the flush window (1 s) had not passed: without close's flush the terminal update would be lost
    JsonObject batch = alice.assertFrame("batch");
    JsonObject last = batch.getAsJsonArray("events").get(batch.getAsJsonArray("events").size() - 1)
        .getAsJsonObject();
    assertEquals("completed", last.get("status").getAsString());
    alice.assertNoMoreFrames();
    assertEquals(CloseReason.RESTART, alice.closedWith());
  }

  @Test
  void aConnectionRegisteringWhileTheHubClosesIsClosedWithRestartInsteadOfStayingOpen() throws Exception {
    // close() runs on another thread at the worst moment: after open() checked "closed", before the
    // connection is in the registry that close() sweeps
    broadcaster.onFirstConnectionOf = user -> {
      Thread closer = new Thread(fx.hub::close, "test-closer");
      closer.start();
      try {
        closer.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      steps.add("hub closed while " + user + " registered: " + !closer.isAlive());
    };
    RecordingConnection carol = fx.open("carol", TestTokens.token("carol"));
    assertTrue(steps.contains("hub closed while carol registered: true"), steps.toString());
    assertEquals(CloseReason.RESTART, carol.closedWith());
    carol.assertNoMoreFrames();
    assertFalse(fx.session(carol).isOpen());
    assertTrue(fx.hub.registry().isEmpty(), "nothing stays registered after close");
    assertEquals(0, fx.hub.stats().totalClients());
  }
}
