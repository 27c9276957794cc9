package io.jobprogress.jakarta.ws.security;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.jobprogress.core.ClientConnection;
import io.jobprogress.core.HubSettings;
import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.TestTokens;
import io.jobprogress.jakarta.ws.TransportSettings;
import io.jobprogress.jakarta.ws.testing.Container;
import io.jobprogress.jakarta.ws.testing.HubServer;
import io.jobprogress.jakarta.ws.testing.RecordingClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hundreds of handshakes of distinct users released together, in every container: each session is
 * registered, bound to its own user, and still open after the idle timeout's first tick while it keeps
 * talking. Guards against Tyrus' idle timer closing fresh sessions (it did about 1 handshake in 200 when
 * the endpoint set the timeout in {@code onOpen}) and against any mix-up of users under concurrency. A silent
 * connection opened alongside proves the idle timeout did tick: it is closed with {@code idle_timeout}.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("io.jobprogress.jakarta.ws.testing.Container#selected")
class HandshakeConcurrencyIT {
  private static final int HANDSHAKES = 300;
  private static final Duration IDLE = Duration.ofSeconds(5);
  private static final String PING = "{\"type\":\"ping\"}";
  private static final AtomicInteger runs = new AtomicInteger();

  @RegisterExtension
  final NoTokenInLogs logs = new NoTokenInLogs();

  @Parameter
  Container container;

  @Test
  void simultaneousHandshakesAreEachRegisteredBoundToTheirOwnUserAndOutliveTheIdleTimeoutsFirstTick()
      throws Exception {
    HubSettings settings = HubSettings.defaults();
    TransportSettings transport = TransportSettings.builder().idleTimeout(IDLE).build();
    String prefix = "hs-" + container.name().toLowerCase(java.util.Locale.ROOT) + "-" + runs.incrementAndGet() + "-";
    List<RecordingClient> clients = new ArrayList<>();
    try (HubServer server = HubServer.start(container, settings, transport)) {
      JobProgressHub hub = server.hub();
      List<String> users = new ArrayList<>();
      List<CompletableFuture<RecordingClient>> handshakes = new ArrayList<>();
      // Every client talks from the moment its handshake completes, so none can idle out while the others
      // are still handshaking or being checked (on a loaded machine that takes seconds)
      List<RecordingClient> talking = new CopyOnWriteArrayList<>();
      ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor();
      pinger.scheduleWithFixedDelay(() -> talking.forEach(HandshakeConcurrencyIT::pingQuietly), 100, 500,
          TimeUnit.MILLISECONDS);
      for (int i = 0; i < HANDSHAKES; i++) {
        String user = prefix + i;
        users.add(user);
        handshakes.add(RecordingClient.connectAsync(server.wsUri(logs.token(TestTokens.token(user))))
            .thenApply(c -> {
              talking.add(c);
              return c;
            }));
      }
      RecordingClient silent = RecordingClient.connect(server.wsUri(logs.token(TestTokens.token(prefix + "silent"))));
      silent.assertFrame("connected");
      for (CompletableFuture<RecordingClient> h : handshakes) {
        clients.add(h.join());
      }

      for (int i = 0; i < HANDSHAKES; i++) {
        String user = users.get(i);
        JsonObject connected = clients.get(i).assertFrame("connected");
        assertEquals(user, connected.get("userId").getAsString(), "connected names another user");
        Set<String> registered = hub.connectionIdsOf(user);
        assertEquals(1, registered.size(), () -> user + " has " + registered.size() + " registered connections");
        String id = registered.iterator().next();
        assertEquals(id, connected.get("connectionId").getAsString(), () -> user + " is bound to another connection");
      }
      assertEquals(HANDSHAKES + 1, hub.stats().connections().totalClients());

      // the pinger keeps every connection talking until the silent one is closed: the idle timeout has ticked
      await().atMost(IDLE.multipliedBy(10)).until(silent::isClosed);
      assertEquals(new RecordingClient.Close(1001, "idle_timeout"), silent.awaitClose());
      pinger.shutdown();
      assertTrue(pinger.awaitTermination(30, TimeUnit.SECONDS), "the pinger did not stop");
      for (int i = 0; i < HANDSHAKES; i++) {
        RecordingClient c = clients.get(i);
        assertFalse(c.isClosed(), users.get(i) + " was closed");
        for (JsonObject f : c.drain()) {
          assertEquals("pong", f.get("type").getAsString(), () -> "unexpected frame " + f);
        }
      }
      assertEquals(HANDSHAKES, hub.stats().connections().totalClients());
      assertTrue(hub.connectionIdsOf(prefix + "silent").isEmpty());
    } finally {
      clients.forEach(RecordingClient::close);
    }
  }

  /** A ping whose pong is checked later; a send that fails means a closed connection, asserted later too. */
  private static void pingQuietly(RecordingClient c) {
    try {
      c.send(PING);
    } catch (RuntimeException closed) {
      // asserted afterwards: no client may be closed
    }
  }
}
