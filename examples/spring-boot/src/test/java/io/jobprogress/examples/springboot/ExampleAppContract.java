package io.jobprogress.examples.springboot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.jobprogress.core.TestTokens;
import io.jobprogress.core.security.LogCapture;
import io.jobprogress.jakarta.ws.testing.RecordingClient;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the example must do on every backend and Boot line: a client with a JWT connects, a job started
 * through the REST endpoint (the same JWT) reaches it at 100 %, and closing the application closes the
 * client with {@code 1012 restart}. Subclasses name the backend's properties.
 */
abstract class ExampleAppContract {
  @RegisterExtension
  final LogCapture logs = LogCapture.atTraceNamed();

  /** Properties that select the backend (empty: in-memory). */
  abstract Map<String, Object> backend();

  /** The broadcaster type the stats endpoint reports for this backend. */
  abstract String broadcasterType();

  @Test
  void aJobStartedThroughRestReachesItsSubscriberAt100Percent() throws Exception {
    String token = TestTokens.token("alice");
    try (ExampleApp app = ExampleApp.start(backend());
         RecordingClient client = RecordingClient.connect(app.ws("/ws", token))) {
      client.assertFrame("connected");

      HttpResponse<String> refused = app.startJob("not-a-jwt");
      assertEquals(401, refused.statusCode(), refused.body());

      HttpResponse<String> started = app.startJob(token);
      assertEquals(202, started.statusCode(), started.body());
      String jobId = JsonParser.parseString(started.body()).getAsJsonObject().get("jobId").getAsString();
      client.subscribe(jobId);
      client.assertFrame("subscribed");
      int last = -1;
      JsonObject frame;
      do {
        frame = client.nextFrame();
        if (!"progress".equals(frame.get("type").getAsString())) {
          continue;
        }
        assertEquals(jobId, frame.get("jobId").getAsString());
        int progress = frame.get("progress").getAsInt();
        assertTrue(progress >= last, "progress went back: " + frame);
        last = progress;
      } while (!"completed".equals(frame.has("status") ? frame.get("status").getAsString() : ""));
      assertEquals(100, last);

      HttpResponse<String> stats = app.get("/api/ws/stats");
      assertEquals(200, stats.statusCode());
      JsonObject body = JsonParser.parseString(stats.body()).getAsJsonObject();
      assertEquals(broadcasterType(), body.getAsJsonObject("broadcaster").get("type").getAsString(), stats.body());
      assertTrue(!body.has("clientsByUser"), "stats without a token must be counts only: " + stats.body());

      HttpResponse<String> polled = app.get("/api/jobs/" + jobId, "Authorization", "Bearer " + token);
      assertEquals(200, polled.statusCode(), polled.body());
      assertEquals(100, JsonParser.parseString(polled.body()).getAsJsonObject().get("progress").getAsInt());
    }
    logs.assertNoTrace(token);
  }

  @Test
  void closingTheApplicationClosesClientsWith1012RestartNot1006() {
    ExampleApp app = ExampleApp.start(backend());
    try (RecordingClient client = RecordingClient.connect(app.ws("/ws", TestTokens.token("bob")))) {
      client.assertFrame("connected");
      app.close();
      assertEquals(new RecordingClient.Close(1012, "restart"), client.awaitClose());
    } finally {
      app.close();
    }
  }
}
