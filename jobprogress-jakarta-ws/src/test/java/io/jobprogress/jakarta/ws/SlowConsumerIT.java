package io.jobprogress.jakarta.ws;

import static org.awaitility.Awaitility.await;
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
import io.jobprogress.jakarta.ws.testing.StalledClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One client stops reading while 10,000 updates flow to it and to 50 healthy clients, in Jetty through
 * its Jakarta layer and through its core (the pipeline is container-neutral, the wire under it is not;
 * the contract IT covers the other containers).
 */
@ParameterizedClass(name = "{0}", allowZeroInvocations = true)
@MethodSource("io.jobprogress.jakarta.ws.testing.Container#jettyBoth")
class SlowConsumerIT {
  private static final int CAPACITY = 64;
  private static final int JOBS = 20;
  private static final int UPDATES_PER_JOB = 500;
  private static final int HEALTHY = 50;
  private static final String USER = "watcher";

  private HubServer server;
  private JobProgressHub hub;
  private JobProgressWebSocket socket;

  @Parameter
  Container container;

  @BeforeEach
  void start() throws Exception {
    HubSettings settings = HubSettings.builder().maxConnectionsPerUser(HEALTHY + 1)
        .userMessagesPerSecond(100_000).build();  // one user subscribes 51 connections at once
    TransportSettings transport = TransportSettings.builder().sendQueueCapacity(CAPACITY)
        .slowConsumerTimeout(Duration.ofSeconds(5)).build();
    server = HubServer.start(container, settings, transport);
    hub = server.hub();
    socket = server.socket();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  @Test
  void aStalledClientStaysBoundedAndIsClosedWhileHealthyClientsGetEveryTerminalUpdate() throws Exception {
    List<String> jobs = new ArrayList<>();
    for (int j = 0; j < JOBS; j++) {
      jobs.add("slow-job-" + j);
      hub.publishJobUpdate(ProgressEvent.queued(jobs.get(j), USER));
    }
    String token = TestTokens.token(USER);
    List<RecordingClient> healthy = new ArrayList<>();
    for (int i = 0; i < HEALTHY; i++) {
      RecordingClient c = RecordingClient.connect(server.wsUri(token));
      c.assertFrame("connected");
      for (String job : jobs) {
        c.subscribe(job);
        c.assertFrame("subscribed");
        c.assertProgress(job, "queued");
      }
      healthy.add(c);
    }
    try (StalledClient stalled = StalledClient.connect("127.0.0.1", server.port(), "/ws?token=" + token)) {
      assertTrue(stalled.handshakeStatus().contains("101"), stalled.handshakeStatus());
      for (String job : jobs) {
        stalled.sendText("{\"type\":\"subscribe\",\"data\":{\"jobId\":\"" + job + "\"}}");
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> hub.subscriberCount(jobs.get(JOBS - 1)) == HEALTHY + 1);

      for (int u = 1; u <= UPDATES_PER_JOB; u++) {
        for (String job : jobs) {
          boolean last = u == UPDATES_PER_JOB;
          hub.publishJobUpdate(ProgressEvent.of(job, USER, last ? JobStatus.COMPLETED : JobStatus.PROCESSING,
              last ? 100 : u * 99 / UPDATES_PER_JOB, "step", "update " + u + " " + "x".repeat(200)));
        }
      }

      for (RecordingClient c : healthy) {
        Set<String> completed = new HashSet<>();
        while (completed.size() < JOBS) {
          JsonObject f = c.assertFrame("progress");
          if (f.get("status").getAsString().equals("completed")) {
            assertTrue(completed.add(f.get("jobId").getAsString()), "one terminal update per job");
          }
        }
        c.assertPingAnswered();
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> socket.metrics().slowConsumerCloses() == 1);
      await().atMost(Duration.ofSeconds(10)).until(() -> hub.stats().connections().totalClients() == HEALTHY);
      assertTrue(socket.metrics().maxQueueDepth() <= CAPACITY,
          "the deepest queue was " + socket.metrics().maxQueueDepth() + ", capacity " + CAPACITY);
      assertTrue(socket.metrics().replacedFrames() > 0, "waiting updates were replaced by newer ones");
    } finally {
      healthy.forEach(RecordingClient::close);
    }
  }
}
