package io.jobprogress.jakarta.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.jobprogress.core.HubSettings;
import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.JobStatus;
import io.jobprogress.core.ProgressEvent;
import io.jobprogress.core.TestTokens;
import io.jobprogress.jakarta.ws.security.NoTokenInLogs;
import io.jobprogress.jakarta.ws.testing.Container;
import io.jobprogress.jakarta.ws.testing.RecordingClient;
import io.jobprogress.jakarta.ws.testing.StalledClient;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code hub.close()} as the one owner of shutdown, in Jetty with real clients: a terminal update still
 * queued for a client that reads slowly arrives before the 1012 close (through Jetty's Jakarta layer and
 * through its core), a handshake after the close gets
 * 1012, and the one-line {@link JobProgressWebSocket#serverEndpointConfig} wiring leaves no library thread
 * behind.
 */
class ShutdownIT {
  private static final String USER = "leaving";
  private static final int JOBS = 10;

  @RegisterExtension
  final NoTokenInLogs logs = new NoTokenInLogs();

  @ParameterizedTest(name = "{0}")
  @EnumSource(names = {"JETTY", "JETTY_CORE"})
  void aTerminalUpdateStillQueuedWhenTheHubClosesArrivesBeforeThe1012Close(Container container) throws Exception {
    // a long slow-consumer timeout: the client stalls on purpose, and close waits for it that long at most
    TransportSettings transport = TransportSettings.builder().slowConsumerTimeout(Duration.ofSeconds(60)).build();
    JobProgressHub hub = JobProgressHub.builder().tokenVerifier(TestTokens.verifier()).build();
    JobProgressWebSocket ws = JobProgressWebSocket.builder(hub).transport(transport).build();
    try (Container.Running jetty = container.start(ws);
        StalledClient client = StalledClient.connect("127.0.0.1", jetty.port(),
            "/ws?token=" + logs.token(TestTokens.token(USER)))) {
      assertEquals("connected", type(client.readFrame()));
      for (int j = 0; j < JOBS; j++) {
        hub.publishJobUpdate(ProgressEvent.queued("leaving-" + j, USER));
        client.sendText("{\"type\":\"subscribe\",\"data\":{\"jobId\":\"leaving-" + j + "\"}}");
        assertEquals("subscribed", type(client.readFrame()));
        assertEquals("progress", type(client.readFrame()));
      }

      // the client stops reading: updates pile up in its send queue on the server
      String text = "x".repeat(ProgressEvent.MAX_MESSAGE);
      for (int u = 1; ws.queuedFrames() == 0; u++) {
        if (u > 100_000) {
          fail("no frame ever waited: the client's socket never filled");
        }
        hub.publishJobUpdate(ProgressEvent.of("leaving-" + (u % JOBS), USER, JobStatus.PROCESSING, u % 100,
            "step", text));
      }
      hub.publishJobUpdate(ProgressEvent.completed("leaving-0", USER, "done"));
      assertTrue(ws.queuedFrames() > 0, "the terminal update waits behind others");

      // the client reads again while the host shuts down as hosts do: hub.close(), then the container stops.
      // Only because close() returns after the queue drained does the client get everything before Jetty stops.
      CompletableFuture<List<StalledClient.Frame>> reading = CompletableFuture.supplyAsync(() -> {
        try {
          return client.readUntilClose();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException("the connection ended without a close frame", e);
        }
      });
      hub.close();
      jetty.close();
      List<StalledClient.Frame> rest = reading.get(30, TimeUnit.SECONDS);

      StalledClient.Frame close = rest.get(rest.size() - 1);
      assertEquals(1012, close.code());
      assertEquals("restart", close.reason());
      JsonObject last = JsonParser.parseString(rest.get(rest.size() - 2).text()).getAsJsonObject();
      assertEquals("progress", last.get("type").getAsString(), last::toString);
      assertEquals("leaving-0", last.get("jobId").getAsString());
      assertEquals("completed", last.get("status").getAsString());
      assertEquals(0, hub.stats().totalClients());
    } finally {
      hub.close();
    }
  }

  @Test
  void theOneLineWiringLeavesNoLibraryThreadAfterHubCloseAndLaterHandshakesGet1012() throws Exception {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    JobProgressHub hub = JobProgressHub.builder().tokenVerifier(TestTokens.verifier()).build();
    try (Container.Running jetty = Container.jetty(JobProgressWebSocket.serverEndpointConfig(hub))) {
      URI uri = URI.create("ws://127.0.0.1:" + jetty.port() + "/ws?token=" + logs.token(TestTokens.token(USER)));
      RecordingClient client = RecordingClient.connect(uri);
      client.assertFrame("connected");
      hub.publishJobUpdate(ProgressEvent.queued("wired-job", USER));
      client.subscribe("wired-job");
      client.assertFrame("subscribed");
      client.assertProgress("wired-job", "queued");
      hub.publishJobUpdate(ProgressEvent.completed("wired-job", USER, "done"));
      client.assertProgress("wired-job", "completed");
      assertFalse(libraryThreadsStartedSince(before).isEmpty(),
          "the timer and sweeper threads run while a client is connected");

      hub.close();

      assertEquals(new RecordingClient.Close(1012, "restart"), client.awaitClose());
      assertEquals(Set.of(), libraryThreadsStartedSince(before), "threads left after hub.close()");
      RecordingClient late = RecordingClient.connect(uri);
      assertEquals(new RecordingClient.Close(1012, "restart"), late.awaitClose());
      late.assertNoMoreFrames();
      assertEquals(Set.of(), libraryThreadsStartedSince(before), "a late handshake starts no thread");
    } finally {
      hub.close();
    }
  }

  private static Set<String> libraryThreadsStartedSince(Set<Thread> before) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("jobprogress-") && t.isAlive() && !before.contains(t))
        .map(Thread::getName).collect(Collectors.toSet());
  }

  private static String type(StalledClient.Frame f) {
    assertFalse(f.isClose(), () -> "closed: " + f.code() + " " + f.reason());
    return JsonParser.parseString(f.text()).getAsJsonObject().get("type").getAsString();
  }
}
