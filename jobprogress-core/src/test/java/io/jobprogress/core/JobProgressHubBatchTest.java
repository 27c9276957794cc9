package io.jobprogress.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** v1.1 extension: a connection that opts in gets {@code batch} frames; others see contract frames only. */
class JobProgressHubBatchTest {
  private final HubFixture fx = new HubFixture(HubSettings.defaults());

  @AfterEach
  void close() {
    fx.close();
  }

  private void publishThousandUpdatesThenComplete(String job) {
    for (int i = 0; i < 1000; i++) {
      fx.hub.publishJobUpdate(ProgressEvent.of(job, "alice", JobStatus.PROCESSING, i / 10, "step", "update " + i));
    }
    fx.hub.publishJobUpdate(ProgressEvent.completed(job, "alice", "done"));
  }

  private RecordingConnection optedIn(String body) throws Exception {
    RecordingConnection alice = fx.connect("alice");
    fx.send(alice, "{\"type\":\"options\",\"data\":" + body + "}");
    JsonObject ack = alice.assertFrame("options");
    assertTrue(ack.get("batch").getAsBoolean());
    return alice;
  }

  /** Reads batch frames until the job's completed event; returns every event, checking seqs only rise. */
  private static List<JsonObject> eventsUntilCompleted(RecordingConnection c, String job, int[] frames) {
    List<JsonObject> events = new ArrayList<>();
    long lastSeq = 0;
    while (true) {
      JsonObject batch = c.assertFrame("batch");
      frames[0]++;
      assertTrue(batch.has("timestamp"));
      for (JsonElement el : batch.getAsJsonArray("events")) {
        JsonObject e = el.getAsJsonObject();
        assertEquals("progress", e.get("type").getAsString());
        long seq = e.get("seq").getAsLong();
        assertTrue(seq > lastSeq, () -> "seq " + seq + " after " + events);
        lastSeq = seq;
        events.add(e);
        if (e.get("status").getAsString().equals("completed") && e.get("jobId").getAsString().equals(job)) {
          return events;
        }
      }
    }
  }

  @Test
  void withOptInAThousandUpdatesArriveInFarFewerFramesEndingInTheExactFinalState() throws Exception {
    fx.hub.publishJobUpdate(ProgressEvent.queued("j", "alice"));
    RecordingConnection alice = optedIn("{\"batch\":true}");
    fx.subscribe(alice, "j");
    alice.assertFrame("subscribed");
    publishThousandUpdatesThenComplete("j");
    int[] frames = {0};
    List<JsonObject> events = eventsUntilCompleted(alice, "j", frames);
    assertTrue(frames[0] < 100, "1,002 updates took " + frames[0] + " batch frames");
    JsonObject last = events.get(events.size() - 1);
    assertEquals(1002, last.get("seq").getAsLong());
    assertEquals(100, last.get("progress").getAsInt());
    assertEquals("done", last.get("message").getAsString());
    fx.assertAnswersPing(alice);
    alice.assertNoMoreFrames();
  }

  @Test
  void withoutOptInEveryUpdateIsAContractProgressFrame() throws Exception {
    fx.hub.publishJobUpdate(ProgressEvent.queued("j", "alice"));
    RecordingConnection alice = fx.connect("alice");
    fx.subscribe(alice, "j");
    alice.assertFrame("subscribed");
    publishThousandUpdatesThenComplete("j");
    fx.assertAnswersPingSkipping(alice, new ArrayList<>());
    Set<String> contract = Set.of("connected", "subscribed", "progress", "pong");
    long progress = 0;
    for (String f : alice.allFrames()) {
      String type = JsonParser.parseString(f).getAsJsonObject().get("type").getAsString();
      assertTrue(contract.contains(type), f);
      progress += type.equals("progress") ? 1 : 0;
    }
    assertEquals(1002, progress);
  }

  @Test
  void aReplayedRangeIsCarriedExactlyEvenWhenBatched() throws Exception {
    String epoch = null;
    for (int i = 0; i < 5; i++) {
      epoch = fx.hub.publishJobUpdate(ProgressEvent.of("j", "alice", JobStatus.PROCESSING, i, "", "")).epoch();
    }
    RecordingConnection alice = optedIn("{\"batch\":true,\"batchWindowMs\":50}");
    fx.send(alice, "{\"type\":\"subscribe\",\"data\":{\"jobId\":\"j\",\"sinceSeq\":1,\"epoch\":\"" + epoch + "\"}}");
    assertTrue(alice.assertFrame("subscribed").get("recovered").getAsBoolean());
    List<Long> seqs = new ArrayList<>();
    alice.assertFrame("batch").getAsJsonArray("events").forEach(e -> seqs.add(e.getAsJsonObject().get("seq").getAsLong()));
    assertEquals(List.of(2L, 3L, 4L, 5L), seqs);
  }

  @Test
  void syncInBatchModeEndsWithSyncedAfterTheBatchCarryingItsEvents() throws Exception {
    fx.hub.publishJobUpdate(ProgressEvent.queued("a-1", "alice"));
    fx.hub.publishJobUpdate(ProgressEvent.completed("a-2", "alice", "done"));
    RecordingConnection alice = optedIn("{\"batch\":true,\"batchWindowMs\":1000}");
    fx.send(alice, "{\"type\":\"sync\"}");
    assertEquals(2, alice.assertFrame("batch").getAsJsonArray("events").size());
    assertEquals(2, alice.assertFrame("synced").get("count").getAsInt());
  }

  @Test
  void invalidOptionsAreAnErrorAndTheConnectionKeepsWorkingUnbatched() throws Exception {
    RecordingConnection alice = fx.connect("alice");
    for (String bad : List.of("{\"batch\":\"yes\"}", "{}", "{\"batch\":true,\"batchWindowMs\":5}",
        "{\"batch\":true,\"batchWindowMs\":60000}", "{\"batch\":true,\"batchWindowMs\":-1}",
        "{\"batch\":true,\"batchWindowMs\":0.5}")) {
      fx.send(alice, "{\"type\":\"options\",\"data\":" + bad + "}");
      alice.assertError(ErrorCode.INVALID_OPTIONS);
    }
    fx.hub.publishJobUpdate(ProgressEvent.queued("j", "alice"));
    fx.subscribe(alice, "j");
    alice.assertFrame("subscribed");
    alice.assertProgress("j", 0);
  }

  @Test
  void optingOutFlushesWhatWaitsAndReturnsToProgressFrames() throws Exception {
    fx.hub.publishJobUpdate(ProgressEvent.queued("j", "alice"));
    RecordingConnection alice = optedIn("{\"batch\":true,\"batchWindowMs\":1000}");
    fx.subscribe(alice, "j");
    alice.assertFrame("subscribed");
    fx.send(alice, "{\"type\":\"options\",\"data\":{\"batch\":false}}");
    assertEquals(1, alice.assertFrame("batch").getAsJsonArray("events").size());
    alice.assertFrame("options");
    fx.hub.publishJobUpdate(ProgressEvent.completed("j", "alice", "done"));
    alice.assertProgress("j", 100);
  }
}
