package io.jobprogress.jakarta.ws.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.jobprogress.core.ErrorCode;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * No cross-user leakage over a real container (Jetty, through its Jakarta layer and its core): 20 users with 5
 * connections each, every connection subscribing to all 100 jobs (5 per user). Each connection gets its own user's
 * 5 jobs and a {@code forbidden} error for each of the 95 others; after progress and a terminal state for every
 * job, no connection holds a single {@code subscribed} or {@code progress} frame of another user's job, and every
 * connection has every terminal state of its own user's jobs. Message limits are raised so the 100 subscribes per
 * connection are not rate limited (that limit has its own test).
 */
@ParameterizedClass(name = "{0}", allowZeroInvocations = true)
@MethodSource("io.jobprogress.jakarta.ws.testing.Container#jettyBoth")
class CrossUserIT {
  private static final int USERS = 20;
  private static final int CONNECTIONS = 5;
  private static final int JOBS_PER_USER = 5;
  private static final JobStatus[] TERMINAL = {JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED};

  @RegisterExtension
  final NoTokenInLogs logs = new NoTokenInLogs();

  @Parameter
  Container container;

  private static String user(int u) {
    return "user-" + u;
  }

  private static String job(int u, int j) {
    return "job-" + u + "-" + j;
  }

  @Test
  void hundredConnectionsSubscribedToAllJobsSeeOnlyTheirOwnUsersJobsAndEveryTerminalState() throws Exception {
    HubSettings generous = HubSettings.builder().messagesPerSecond(10_000).messageBurst(10_000)
        .userMessagesPerSecond(100_000).build();
    JobProgressHub hub = JobProgressHub.builder().tokenVerifier(TestTokens.verifier()).settings(generous).build();
    List<String> allJobs = new ArrayList<>();
    for (int u = 0; u < USERS; u++) {
      for (int j = 0; j < JOBS_PER_USER; j++) {
        hub.publishJobUpdate(ProgressEvent.queued(job(u, j), user(u)));
        allJobs.add(job(u, j));
      }
    }
    try (HubServer server = HubServer.start(container, hub)) {
      Map<RecordingClient, Integer> owner = new HashMap<>();
      List<RecordingClient> clients = new ArrayList<>();
      try {
        for (int u = 0; u < USERS; u++) {
          String token = logs.token(TestTokens.token(user(u)));
          for (int c = 0; c < CONNECTIONS; c++) {
            RecordingClient client = RecordingClient.connect(server.wsUri(token));
            clients.add(client);
            owner.put(client, u);
          }
        }
        Map<RecordingClient, List<JsonObject>> received = new HashMap<>();
        clients.parallelStream().forEach(client -> {
          for (String jobId : allJobs) {
            client.subscribe(jobId);
          }
        });
        // a ping per connection: its pong comes after all 100 subscribe answers
        for (RecordingClient client : clients) {
          received.put(client, until(client, "pong"));
        }

        for (int u = 0; u < USERS; u++) {
          for (int j = 0; j < JOBS_PER_USER; j++) {
            hub.publishJobUpdate(ProgressEvent.of(job(u, j), user(u), JobStatus.PROCESSING, 50, "half", "Half"));
            JobStatus end = TERMINAL[(u + j) % TERMINAL.length];
            hub.publishJobUpdate(ProgressEvent.of(job(u, j), user(u), end, end == JobStatus.COMPLETED ? 100 : 50,
                end.name().toLowerCase(java.util.Locale.ROOT), "End"));
          }
        }

        for (RecordingClient client : clients) {
          int u = owner.get(client);
          List<JsonObject> frames = received.get(client);
          Set<String> terminals = new HashSet<>();
          while (terminals.size() < JOBS_PER_USER) {
            JsonObject f = client.nextFrame();
            frames.add(f);
            if (f.get("type").getAsString().equals("progress") && isTerminal(f)) {
              terminals.add(f.get("jobId").getAsString());
            }
          }
          client.assertPingAnswered();
          client.assertNoMoreFrames();
          assertOnlyOwnJobs(u, frames);
        }
      } finally {
        clients.forEach(RecordingClient::close);
      }
    }
  }

  private static boolean isTerminal(JsonObject progress) {
    String s = progress.get("status").getAsString();
    return s.equals("completed") || s.equals("failed") || s.equals("cancelled");
  }

  private static void assertOnlyOwnJobs(int u, List<JsonObject> frames) {
    int forbidden = 0;
    Set<String> subscribed = new HashSet<>();
    for (JsonObject f : frames) {
      String type = f.get("type").getAsString();
      String jobId = f.has("jobId") ? f.get("jobId").getAsString() : null;
      switch (type) {
        case "subscribed", "progress" -> {
          assertTrue(jobId.startsWith("job-" + u + "-"), () -> user(u) + " received " + f);
          if (type.equals("progress")) {
            assertEquals(user(u), f.get("userId").getAsString(), () -> "progress of another user: " + f);
          } else {
            subscribed.add(jobId);
          }
        }
        case "error" -> {
          assertEquals(ErrorCode.FORBIDDEN.code(), f.get("code").getAsString(), () -> "unexpected " + f);
          forbidden++;
        }
        case "connected", "pong" -> { }
        default -> throw new AssertionError("unexpected frame " + f);
      }
    }
    assertEquals(JOBS_PER_USER, subscribed.size(), () -> user(u) + " subscribed to " + subscribed);
    assertEquals(USERS * JOBS_PER_USER - JOBS_PER_USER, forbidden, () -> user(u) + " forbidden count");
  }

  /** Frames up to and including the first of {@code type}. */
  private static List<JsonObject> until(RecordingClient client, String type) {
    client.send("{\"type\":\"ping\"}");
    List<JsonObject> frames = new ArrayList<>();
    JsonObject f;
    do {
      f = client.nextFrame();
      frames.add(f);
    } while (!f.get("type").getAsString().equals(type));
    return frames;
  }
}
