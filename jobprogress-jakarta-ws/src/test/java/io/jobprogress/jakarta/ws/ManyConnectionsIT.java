package io.jobprogress.jakarta.ws;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.jobprogress.core.HubSettings;
import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.JobStatus;
import io.jobprogress.core.ProgressEvent;
import io.jobprogress.core.TestTokens;
import io.jobprogress.jakarta.ws.testing.Container;
import io.jobprogress.jakarta.ws.testing.HubServer;
import io.jobprogress.jakarta.ws.testing.RecordingClient;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** 500 connections of 50 users take a burst of 20,000 events (Jetty; the contract IT covers the others). */
class ManyConnectionsIT {
  private static final int USERS = 50;
  private static final int CONNECTIONS_PER_USER = 10;
  private static final int JOBS_PER_USER = 4;
  private static final int UPDATES_PER_JOB = 100;

  private final ByteArrayOutputStream serverLog = new ByteArrayOutputStream();
  private PrintStream originalErr;
  private HubServer server;
  private JobProgressHub hub;
  private JobProgressWebSocket socket;

  @BeforeEach
  void start() throws Exception {
    // slf4j-simple writes to whatever System.err is at the time: tee it to read the server's log
    originalErr = System.err;
    System.setErr(new PrintStream(new Tee(originalErr, serverLog), true, StandardCharsets.UTF_8));
    HubSettings settings = HubSettings.builder().userMessagesPerSecond(10_000).build();
    server = HubServer.start(Container.JETTY, settings);
    hub = server.hub();
    socket = server.socket();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    System.setErr(originalErr);
  }

  @Test
  void everyConnectionEndsOnEachJobsFinalStateAndNoFrameReachesANonOwner() throws Exception {
    Map<String, List<String>> jobsOf = new HashMap<>();
    for (int u = 0; u < USERS; u++) {
      String user = "load-user-" + u;
      List<String> jobs = new ArrayList<>();
      for (int j = 0; j < JOBS_PER_USER; j++) {
        String job = "load-job-" + u + "-" + j;
        jobs.add(job);
        hub.publishJobUpdate(ProgressEvent.queued(job, user));
      }
      jobsOf.put(user, jobs);
    }
    Map<RecordingClient, String> owner = new HashMap<>();
    for (Map.Entry<String, List<String>> e : jobsOf.entrySet()) {
      for (int c = 0; c < CONNECTIONS_PER_USER; c++) {
        RecordingClient client = RecordingClient.connect(
            server.wsUri(TestTokens.token(e.getKey())));
        client.assertFrame("connected");
        for (String job : e.getValue()) {
          client.subscribe(job);
          client.assertFrame("subscribed");
          client.assertProgress(job, "queued");
        }
        owner.put(client, e.getKey());
      }
    }
    assertEquals(USERS * CONNECTIONS_PER_USER, hub.stats().connections().totalClients());

    int events = publishBurst(jobsOf);
    assertEquals(USERS * JOBS_PER_USER * UPDATES_PER_JOB, events);

    try {
      for (Map.Entry<RecordingClient, String> e : owner.entrySet()) {
        RecordingClient client = e.getKey();
        List<String> jobs = jobsOf.get(e.getValue());
        Map<String, JsonObject> last = new HashMap<>();
        while (last.size() < JOBS_PER_USER || last.values().stream().anyMatch(f -> !isCompleted(f))) {
          JsonObject f = client.assertFrame("progress");
          assertEquals(e.getValue(), f.get("userId").getAsString(), () -> "frame for a non-owner: " + f);
          assertTrue(jobs.contains(f.get("jobId").getAsString()), () -> "frame of an unsubscribed job: " + f);
          JsonObject previous = last.put(f.get("jobId").getAsString(), f);
          assertTrue(previous == null || previous.get("seq").getAsLong() < f.get("seq").getAsLong(),
              () -> "out of order: " + f + " after " + previous);
          assertFalse(previous != null && isCompleted(previous), () -> "a frame after the final state: " + f);
        }
        client.assertPingAnswered();
        client.assertNoMoreFrames();
      }
    } finally {
      owner.keySet().forEach(RecordingClient::close);
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> hub.stats().connections().totalClients() == 0);
    String log = serverLog.toString(StandardCharsets.UTF_8);
    assertTrue(log.contains("Client authenticated: load-user-0"), "the server log was captured");
    assertFalse(log.contains("Exception") || log.contains(" ERROR ") || log.contains(" WARN "),
        () -> "the server logged a problem:\n" + log.lines().filter(l -> l.contains("Exception")
            || l.contains("ERROR") || l.contains("WARN")).limit(20).reduce("", (a, b) -> a + b + "\n"));
  }

  private static boolean isCompleted(JsonObject f) {
    return f.get("status").getAsString().equals("completed");
  }

  /** Four publisher threads, each owning a quarter of the jobs so per-job order holds. */
  private int publishBurst(Map<String, List<String>> jobsOf) throws Exception {
    List<String[]> all = new ArrayList<>();
    jobsOf.forEach((user, jobs) -> jobs.forEach(job -> all.add(new String[] {user, job})));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int part = t;
        done.add(pool.submit(() -> {
          int n = 0;
          for (int u = 1; u <= UPDATES_PER_JOB; u++) {
            for (int i = part; i < all.size(); i += 4) {
              boolean last = u == UPDATES_PER_JOB;
              hub.publishJobUpdate(ProgressEvent.of(all.get(i)[1], all.get(i)[0],
                  last ? JobStatus.COMPLETED : JobStatus.PROCESSING, last ? 100 : u - 1, "step", "update " + u));
              n++;
            }
          }
          return n;
        }));
      }
      int total = 0;
      for (Future<Integer> f : done) {
        total += f.get();
      }
      return total;
    } finally {
      pool.shutdown();
    }
  }

  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public synchronized void write(int x) throws java.io.IOException {
      a.write(x);
      b.write(x);
    }

    @Override
    public synchronized void write(byte[] buf, int off, int len) throws java.io.IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }

    @Override
    public synchronized void flush() throws java.io.IOException {
      a.flush();
    }
  }
}
