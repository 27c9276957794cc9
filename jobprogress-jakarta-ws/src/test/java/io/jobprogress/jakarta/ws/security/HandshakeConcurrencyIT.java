package io.jobprogress.jakarta.ws.security;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hundreds of handshakes of distinct users released together, in every container: each session is
 * registered, bound to its own user, and stays open, answering pings. Guards against
 * Tyrus' idle timer closing fresh sessions (it did about 1 handshake in 200 when the endpoint set the
 * timeout in {@code onOpen}) and against any mix-up of users under concurrency. Separately, with a short
 * idle timeout, connections that keep talking outlive it while a silent one is closed with
 * {@code idle_timeout}; that check uses a few connections, so that under CPU load neither the handshakes
 * nor a round of pings outlasts the timeout.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("io.jobprogress.jakarta.ws.testing.Container#selected")
class HandshakeConcurrencyIT {
  private static final int HANDSHAKES = 300;
  private static final int TALKERS = 10;
  private static final Duration IDLE = Duration.ofSeconds(3);
  private static final AtomicInteger runs = new AtomicInteger();

  @RegisterExtension
  final NoTokenInLogs logs = new NoTokenInLogs();

  @Parameter
  Container container;

  private String prefix() {
    return "hs-" + container.name().toLowerCase(java.util.Locale.ROOT) + "-" + runs.incrementAndGet() + "-";
  }

  /** Releases one handshake per user together and returns the clients, in the order of {@code users}. */
  private List<RecordingClient> connectAll(HubServer server, List<String> users) {
    List<CompletableFuture<RecordingClient>> handshakes = new ArrayList<>();
    for (String user : users) {
      handshakes.add(RecordingClient.connectAsync(server.wsUri(logs.token(TestTokens.token(user)))));
    }
    return handshakes.stream().map(CompletableFuture::join).toList();
  }

  @Test
  void simultaneousHandshakesAreEachRegisteredBoundToTheirOwnUserAndStayOpen() throws Exception {
    String prefix = prefix();
    List<String> users = IntStream.range(0, HANDSHAKES).mapToObj(i -> prefix + i).toList();
    List<RecordingClient> clients = new ArrayList<>();
    // the default idle timeout (minutes): nothing here may be closed for being idle
    try (HubServer server = HubServer.start(container, HubSettings.defaults())) {
      JobProgressHub hub = server.hub();
      clients.addAll(connectAll(server, users));
      for (int i = 0; i < HANDSHAKES; i++) {
        String user = users.get(i);
        JsonObject connected = clients.get(i).assertFrame("connected");
        assertEquals(user, connected.get("userId").getAsString(), "connected names another user");
        Set<String> registered = hub.connectionIdsOf(user);
        assertEquals(1, registered.size(), () -> user + " has " + registered.size() + " registered connections");
        String id = registered.iterator().next();
        assertEquals(id, connected.get("connectionId").getAsString(), () -> user + " is bound to another connection");
      }
      assertEquals(HANDSHAKES, hub.stats().totalClients());
      for (int i = 0; i < HANDSHAKES; i++) {
        RecordingClient c = clients.get(i);
        c.assertPingAnswered();
        assertFalse(c.isClosed(), users.get(i) + " was closed");
        c.assertNoMoreFrames();
      }
      assertEquals(HANDSHAKES, hub.stats().totalClients());
    } finally {
      clients.forEach(RecordingClient::close);
    }
  }

  @Test
  void connectionsThatKeepTalkingOutliveTheIdleTimeoutWhileASilentOneIsClosed() throws Exception {
    String prefix = prefix();
    List<String> users = IntStream.range(0, TALKERS).mapToObj(i -> prefix + i).toList();
    List<RecordingClient> clients = new ArrayList<>();
    try (HubServer server = HubServer.start(container, HubSettings.defaults(), TransportSettings.builder().idleTimeout(IDLE).build())) {
      JobProgressHub hub = server.hub();
      RecordingClient silent = RecordingClient.connect(server.wsUri(logs.token(TestTokens.token(prefix + "silent"))));
      clients.add(silent);
      silent.assertFrame("connected");
      List<RecordingClient> talkers = connectAll(server, users);
      clients.addAll(talkers);
      talkers.forEach(c -> c.assertFrame("connected"));

      // keep every talker talking (a ping each per poll, well under the rate limit) until the silent one is
      // closed: the idle timeout has ticked by then
      await().atMost(IDLE.multipliedBy(10)).pollInterval(IDLE.dividedBy(6)).until(() -> {
        talkers.forEach(RecordingClient::assertPingAnswered);
        return silent.isClosed();
      });
      assertEquals(new RecordingClient.Close(1001, "idle_timeout"), silent.awaitClose());
      for (int i = 0; i < TALKERS; i++) {
        RecordingClient c = talkers.get(i);
        c.assertPingAnswered();
        assertFalse(c.isClosed(), users.get(i) + " was closed");
        c.assertNoMoreFrames();
      }
      assertEquals(TALKERS, hub.stats().totalClients());
      assertTrue(hub.connectionIdsOf(prefix + "silent").isEmpty());
    } finally {
      clients.forEach(RecordingClient::close);
    }
  }
}
