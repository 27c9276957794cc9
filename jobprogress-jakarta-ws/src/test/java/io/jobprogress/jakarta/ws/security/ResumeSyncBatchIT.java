package io.jobprogress.jakarta.ws.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.jobprogress.core.HubSettings;
import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.JobStatus;
import io.jobprogress.core.ProgressEvent;
import io.jobprogress.core.TestTokens;
import io.jobprogress.jakarta.ws.testing.Container;
import io.jobprogress.jakarta.ws.testing.HubServer;
import io.jobprogress.jakarta.ws.testing.RecordingClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The v1.1 frames over a real container (Jetty, through its Jakarta layer and its core) and a real client
 * (java.net.http): a reconnecting client resumes with {@code sinceSeq}/{@code epoch} and gets exactly what it
 * missed ({@code recovered:true}); {@code sync} brings every job of the user and none of another's; an opted-in
 * client gets {@code batch} frames, far fewer than the updates, ending in the exact final state, while a plain one
 * sees contract frames only. No token appears in the logs.
 */
@ParameterizedClass(name = "{0}", allowZeroInvocations = true)
@MethodSource("io.jobprogress.jakarta.ws.testing.Container#jettyBoth")
class ResumeSyncBatchIT {
  @RegisterExtension
  final NoTokenInLogs logs = new NoTokenInLogs();

  @Parameter
  Container container;

  private HubServer server;
  private JobProgressHub hub;

  @BeforeEach
  void start() throws Exception {
    server = HubServer.start(container, HubSettings.defaults());
    hub = server.hub();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private RecordingClient connect(String user) {
    RecordingClient c = RecordingClient.connect(server.wsUri(logs.token(TestTokens.token(user))));
    c.assertFrame("connected");
    return c;
  }

  private ProgressEvent publish(String job, String user, int progress) {
    return hub.publishJobUpdate(ProgressEvent.of(job, user, JobStatus.PROCESSING, progress, "step", "at " + progress));
  }

  @Test
  void aReconnectingClientResumesAndGetsExactlyTheEventsItMissed() {
    for (int i = 1; i <= 5; i++) {
      publish("j", "alice", i * 10);
    }
    JsonObject seen;
    try (RecordingClient first = connect("alice")) {
      first.subscribe("j").assertFrame("subscribed");
      seen = first.assertFrame("progress");
    }
    for (int i = 6; i <= 8; i++) {
      publish("j", "alice", i * 10);
    }
    try (RecordingClient again = connect("alice")) {
      again.send("{\"type\":\"subscribe\",\"data\":{\"jobId\":\"j\",\"sinceSeq\":" + seen.get("seq").getAsLong()
          + ",\"epoch\":\"" + seen.get("epoch").getAsString() + "\"}}");
      assertTrue(again.assertFrame("subscribed").get("recovered").getAsBoolean());
      List<Long> seqs = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        seqs.add(again.assertFrame("progress").get("seq").getAsLong());
      }
      assertEquals(List.of(6L, 7L, 8L), seqs);
      hub.publishJobUpdate(ProgressEvent.completed("j", "alice", "done"));
      assertEquals(9, again.assertProgress("j", "completed").get("seq").getAsLong());
      again.assertPingAnswered();
      again.assertNoMoreFrames();

      again.send("{\"type\":\"subscribe\",\"data\":{\"jobId\":\"j\",\"sinceSeq\":2,\"epoch\":\"other\"}}");
      assertFalse(again.assertFrame("subscribed").get("recovered").getAsBoolean());
      assertEquals(9, again.assertProgress("j", "completed").get("seq").getAsLong());
      again.send("{\"type\":\"subscribe\",\"data\":{\"jobId\":\"j\",\"sinceSeq\":-2,\"epoch\":\"other\"}}");
      assertEquals("invalid_since_seq", again.assertError().get("code").getAsString());
      again.assertPingAnswered();
    }
  }

  @Test
  void syncBringsTheLatestStateOfEveryJobOfTheUserAndNoneOfAnothers() {
    Map<String, ProgressEvent> truth = new HashMap<>();
    for (int i = 0; i < 20; i++) {
      ProgressEvent last = publish("a-" + i, "alice", 30);
      if (i % 2 == 0) {
        last = hub.publishJobUpdate(ProgressEvent.completed("a-" + i, "alice", "finished while offline"));
      }
      truth.put("a-" + i, last);
    }
    for (int i = 0; i < 5; i++) {
      publish("b-" + i, "bob", 50);
    }
    try (RecordingClient alice = connect("alice")) {
      alice.send("{\"type\":\"sync\"}");
      Map<String, Long> got = new HashMap<>();
      JsonObject f;
      while (!(f = alice.nextFrame()).get("type").getAsString().equals("synced")) {
        assertEquals("progress", f.get("type").getAsString(), f.toString());
        assertEquals("alice", f.get("userId").getAsString(), f.toString());
        got.put(f.get("jobId").getAsString(), f.get("seq").getAsLong());
      }
      assertEquals(20, f.get("count").getAsInt());
      Map<String, Long> expected = new HashMap<>();
      truth.forEach((job, e) -> expected.put(job, e.seq()));
      assertEquals(expected, got);
      alice.assertPingAnswered();
    }
  }

  @Test
  void anOptedInClientGetsFarFewerBatchFramesEndingInTheExactStateAndAPlainOneContractFramesOnly() {
    hub.publishJobUpdate(ProgressEvent.queued("j", "alice"));
    try (RecordingClient batched = connect("alice"); RecordingClient plain = connect("alice")) {
      batched.send("{\"type\":\"options\",\"data\":{\"batch\":true,\"batchWindowMs\":100}}");
      assertTrue(batched.assertFrame("options").get("batch").getAsBoolean());
      batched.subscribe("j").assertFrame("subscribed");
      plain.subscribe("j").assertFrame("subscribed");
      for (int i = 0; i < 1000; i++) {
        publish("j", "alice", i / 10);
      }
      hub.publishJobUpdate(ProgressEvent.completed("j", "alice", "done"));

      int frames = 0;
      long lastSeq = 0;
      JsonObject last = null;
      while (last == null || !last.get("status").getAsString().equals("completed")) {
        JsonObject batch = batched.assertFrame("batch");
        frames++;
        for (JsonElement el : batch.getAsJsonArray("events")) {
          last = el.getAsJsonObject();
          assertTrue(last.get("seq").getAsLong() > lastSeq, last::toString);
          lastSeq = last.get("seq").getAsLong();
        }
      }
      assertTrue(frames < 100, "1,002 updates took " + frames + " batch frames");
      assertEquals(1002, last.get("seq").getAsLong());
      assertEquals("done", last.get("message").getAsString());

      JsonObject p;
      long plainSeq = 0;
      do {
        p = plain.assertFrame("progress");
        assertTrue(p.get("seq").getAsLong() > plainSeq, p::toString);
        plainSeq = p.get("seq").getAsLong();
      } while (!p.get("status").getAsString().equals("completed"));
      assertEquals(1002, plainSeq);
      plain.assertPingAnswered();
      batched.assertPingAnswered();
    }
  }
}
