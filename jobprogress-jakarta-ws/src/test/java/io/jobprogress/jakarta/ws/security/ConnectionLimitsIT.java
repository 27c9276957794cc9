package io.jobprogress.jakarta.ws.security;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jobprogress.core.CloseReason;
import io.jobprogress.core.ErrorCode;
import io.jobprogress.core.HubSettings;
import io.jobprogress.core.ProgressEvent;
import io.jobprogress.core.TestTokens;
import io.jobprogress.jakarta.ws.testing.Container;
import io.jobprogress.jakarta.ws.testing.HubServer;
import io.jobprogress.jakarta.ws.testing.RecordingClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Connections per user and subscriptions per connection, over Jetty (its Jakarta layer and its core) with the
 * default limits (10 and 200): the eleventh connection of a user is closed with 1008 {@code connection_limit}
 * before any frame while the ten keep working, and the 201st subscription of a connection gets a
 * {@code subscription_limit} error while the connection keeps delivering (message rates raised so the 201
 * subscribes are not rate limited).
 */
@ParameterizedClass(name = "{0}", allowZeroInvocations = true)
@MethodSource("io.jobprogress.jakarta.ws.testing.Container#jettyBoth")
class ConnectionLimitsIT {
  @RegisterExtension
  final NoTokenInLogs logs = new NoTokenInLogs();

  @Parameter
  Container container;

  @Test
  void eleventhConnectionOfAUserIsClosedWithConnectionLimitAndTheTenKeepWorking() throws Exception {
    try (HubServer server = HubServer.start(container, HubSettings.defaults())) {
      String token = logs.token(TestTokens.token("alice"));
      List<RecordingClient> ten = new ArrayList<>();
      try {
        for (int i = 0; i < 10; i++) {
          RecordingClient c = RecordingClient.connect(server.wsUri(token));
          c.assertFrame("connected");
          ten.add(c);
        }
        try (RecordingClient eleventh = RecordingClient.connect(server.wsUri(token))) {
          assertEquals(new RecordingClient.Close(1008, CloseReason.CONNECTION_LIMIT.reason()), eleventh.awaitClose());
          eleventh.assertNoMoreFrames();
        }
        await().until(() -> server.hub().stats().connections().totalClients() == 10);
        ten.forEach(RecordingClient::assertPingAnswered);
      } finally {
        ten.forEach(RecordingClient::close);
      }
    }
  }

  @Test
  void connectionBeyondTheInstanceCapIsClosedWithTryLaterBeforeAnyFrameAndAFreedSlotIsUsable() throws Exception {
    try (HubServer server = HubServer.start(container, HubSettings.builder().maxConnections(2).build());
        RecordingClient alice = RecordingClient.connect(server.wsUri(logs.token(TestTokens.token("alice"))));
        RecordingClient bob = RecordingClient.connect(server.wsUri(logs.token(TestTokens.token("bob"))))) {
      alice.assertFrame("connected");
      bob.assertFrame("connected");
      String carolToken = logs.token(TestTokens.token("carol"));
      try (RecordingClient carol = RecordingClient.connect(server.wsUri(carolToken))) {
        assertEquals(new RecordingClient.Close(1013, CloseReason.TRY_LATER.reason()), carol.awaitClose());
        carol.assertNoMoreFrames();
      }
      assertEquals(2, server.hub().stats().connections().totalClients());
      alice.assertPingAnswered();
      bob.close();
      await().until(() -> server.hub().stats().connections().totalClients() == 1);
      try (RecordingClient carol = RecordingClient.connect(server.wsUri(carolToken))) {
        carol.assertFrame("connected");
        carol.assertPingAnswered();
      }
    }
  }

  @Test
  void subscriptionBeyondTheLimitGetsAnErrorAndTheConnectionKeepsDelivering() throws Exception {
    HubSettings settings = HubSettings.builder().messagesPerSecond(10_000).messageBurst(10_000)
        .userMessagesPerSecond(100_000).build();
    try (HubServer server = HubServer.start(container, settings);
        RecordingClient alice = RecordingClient.connect(server.wsUri(logs.token(TestTokens.token("alice"))))) {
      alice.assertFrame("connected");
      int limit = settings.maxSubscriptionsPerConnection();
      for (int j = 0; j <= limit; j++) {
        server.hub().publishJobUpdate(ProgressEvent.queued("job-" + j, "alice"));
      }
      for (int j = 0; j < limit; j++) {
        alice.subscribe("job-" + j);
        alice.assertFrame("subscribed");
        alice.assertProgress("job-" + j, "queued");
      }
      alice.subscribe("job-" + limit);
      assertEquals(ErrorCode.SUBSCRIPTION_LIMIT.code(), alice.assertError().get("code").getAsString());

      server.hub().publishJobUpdate(ProgressEvent.completed("job-0", "alice", "Done"));
      alice.assertProgress("job-0", "completed");
      alice.assertPingAnswered();
      alice.assertNoMoreFrames();
    }
  }
}
