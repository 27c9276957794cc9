package io.jobprogress.jakarta.ws;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.jobprogress.core.CloseReason;
import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.JobStatus;
import io.jobprogress.core.ProgressEvent;
import io.jobprogress.core.TestTokens;
import io.jobprogress.jakarta.ws.testing.Container;
import io.jobprogress.jakarta.ws.testing.RawWebSocketClient;
import io.jobprogress.jakarta.ws.testing.RecordingClient;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Over Jetty's WebSocket core a connection's text frames and pongs go straight to the connection's end
 * point when nothing has to transform them ({@link JettyFrameHandler#sendText}, {@link DirectFrameWriter}),
 * and through the session's layers when something does (permessage-deflate). Either way every frame arrives
 * whole and in order, a frame above the frame limit in fragments, and nothing is written after the close
 * frame; Jetty's own close frames (its reply to the client's close) still arrive while frames are being
 * written. The frame limit here is the smallest allowed ({@link TransportSettings#MIN_FRAME_BYTES}, so
 * Jetty's is 512 bytes): an ordinary progress frame fits, one with a message of
 * {@link ProgressEvent#MAX_MESSAGE} (1,024) characters does not.
 */
class JettyDirectSendIT {
  private static final AtomicLong ids = new AtomicLong();
  private JobProgressHub hub;
  private JobProgressWebSocket ws;
  private Container.Running server;
  private int port;

  @BeforeEach
  void start() throws Exception {
    hub = JobProgressHub.builder().tokenVerifier(TestTokens.verifier()).build();
    ws = JobProgressWebSocket.builder(hub)
        .transport(TransportSettings.builder().maxFrameBytes(TransportSettings.MIN_FRAME_BYTES).build()).build();
    server = Container.JETTY_CORE.start(ws);
    port = server.port();
  }

  @AfterEach
  void stop() throws Exception {
    hub.close();
    ws.close();
    server.close();
  }

  @Test
  void aPlainConnectionSendsStraightToItsEndPointAndGetsEveryFrameInOrder() throws IOException {
    try (Tab tab = subscribedTab(false)) {
      RawWebSocketClient plain = tab.client();
      assertTrue(handlerOf(tab.user()).sendsDirect(), "no extension, so frames skip the session and the flusher");
      for (int p = 1; p <= 50; p++) {
        tab.publish(p, "step " + p);
      }
      long seq = 1; // queued was seq 1
      for (int p = 1; p <= 50; p++) {
        JsonObject frame = plain.assertFrame("progress");
        assertEquals(p, frame.get("progress").getAsInt(), () -> "out of order: " + frame);
        assertEquals(++seq, frame.get("seq").getAsLong());
      }
      assertEquals(53, plain.dataFrames(), "connected, subscribed, queued and 50 updates, one frame each");
    }
  }

  @Test
  void aCompressedConnectionSendsThroughTheSessionAndGetsEveryFrame() throws IOException {
    try (Tab tab = subscribedTab(true)) {
      RawWebSocketClient deflating = tab.client();
      assertTrue(deflating.compressed(), "Jetty accepts permessage-deflate");
      assertFalse(handlerOf(tab.user()).sendsDirect(), "the extension must see every frame");
      for (int p = 1; p <= 20; p++) {
        tab.publish(p, "step " + p);
      }
      for (int p = 1; p <= 20; p++) {
        assertEquals("step " + p, deflating.assertFrame("progress").get("message").getAsString());
      }
    }
  }

  @Test
  void aFrameAboveTheFrameLimitIsFragmentedAndTheNextOneStillFollowsIt() throws IOException {
    try (Tab tab = subscribedTab(false)) {
      RawWebSocketClient plain = tab.client();
      assertTrue(handlerOf(tab.user()).sendsDirect());
      int before = plain.dataFrames();
      String longMessage = "x".repeat(ProgressEvent.MAX_MESSAGE);
      tab.publish(1, longMessage);
      tab.publish(2, "short");
      assertEquals(longMessage, plain.assertFrame("progress").get("message").getAsString());
      assertEquals("short", plain.assertFrame("progress").get("message").getAsString());
      // the long frame (over 1,000 bytes) left in fragments of at most 512 bytes; the short one whole
      assertTrue(plain.dataFrames() - before >= 4, () -> "data frames of the two updates: " + (plain.dataFrames() - before));
    }
  }

  @Test
  void aFrameSentAfterTheCloseFrameFailsAndNeverReachesTheClient() throws Exception {
    String user = "user-" + ids.incrementAndGet();
    try (RawWebSocketClient plain = RawWebSocketClient.connect(port, "/ws?token=" + TestTokens.token(user))) {
      plain.assertFrame("connected");
      JettyFrameHandler handler = handlerOf(user);
      assertTrue(handler.sendsDirect());
      CompletableFuture<Void> closeWritten = new CompletableFuture<>();
      handler.close(CloseReason.GOING_AWAY, () -> closeWritten.complete(null));
      CompletableFuture<Throwable> late = new CompletableFuture<>();
      handler.sendText("{\"type\":\"pong\",\"late\":true}", late::complete);
      assertInstanceOf(ClosedChannelException.class, late.get(10, TimeUnit.SECONDS));
      closeWritten.get(10, TimeUnit.SECONDS);
      assertEquals(new RecordingClient.Close(1001, "going_away"), plain.awaitClose());
      assertEquals(0, plain.pendingFrames(), "a frame after the close frame");
    }
  }

  @Test
  void pingsAmidUpdatesAreAnsweredAndTheUpdatesStillArriveInOrderUpToTheLast() throws Exception {
    try (Tab tab = subscribedTab(false)) {
      RawWebSocketClient plain = tab.client();
      assertTrue(handlerOf(tab.user()).sendsDirect());
      int updates = 300;
      Thread publisher = new Thread(() -> {
        for (int p = 1; p <= updates; p++) {
          tab.publish(p % 101, "step " + p);
        }
      });
      publisher.start();
      int pings = 30;
      for (int i = 1; i <= pings; i++) {
        plain.sendPing(new byte[] {(byte) i});
      }
      publisher.join();
      // an update that waits behind a pong may be replaced by a newer one (the send queue is latest-wins per
      // job), so not every update arrives; those that do arrive in order, and the last one does
      long seq = 1; // queued was seq 1
      String message = "";
      while (!message.equals("step " + updates)) {
        JsonObject frame = plain.assertFrame("progress");
        long s = frame.get("seq").getAsLong();
        assertTrue(s > seq, () -> "out of order: " + frame);
        seq = s;
        message = frame.get("message").getAsString();
      }
      // pongs may be answered for the newest ping only (RFC 6455 5.5.3), never out of order, and the last
      // ping always is
      int last = 0;
      while (last < pings) {
        byte[] pong = plain.nextPong();
        assertTrue(pong != null && pong.length == 1, "the pong of ping " + pings + " after " + last);
        assertTrue(pong[0] > last, () -> "a pong out of order: " + pong[0]);
        last = pong[0];
      }
    }
  }

  @Test
  void aClientCloseAmidUpdatesIsAnsweredWithJettysCloseFrame() throws Exception {
    try (Tab tab = subscribedTab(false)) {
      RawWebSocketClient plain = tab.client();
      assertTrue(handlerOf(tab.user()).sendsDirect());
      AtomicBoolean stop = new AtomicBoolean();
      Thread publisher = new Thread(() -> {
        for (int p = 1; !stop.get() && p <= 100_000; p++) {
          tab.publish(p % 101, "step " + p);
        }
      });
      publisher.start();
      try {
        assertTrue(plain.awaitReceived(50), "updates flowing");
        plain.sendClose(1000);
        // the reply is written by Jetty's flusher while the writer may be mid-frame: it must not be lost
        assertEquals(1000, plain.awaitClose().code());
      } finally {
        stop.set(true);
        publisher.join();
      }
    }
  }

  @Test
  void aClientCloseWhileAWriteIsStalledIsAnsweredOnceTheWriteFinishes() throws Exception {
    try (Tab tab = stalledTab()) {
      tab.client().sendClose(1000);
      JettyFrameHandler handler = handlerOf(tab.user());
      await().atMost(RecordingClient.WAIT).until(() -> !handler.coreSession().isInputOpen());
      // Jetty's reply may only be written after the stalled frame, else it collides with it and is lost
      tab.client().resume();
      assertEquals(1000, tab.client().awaitClose().code());
    }
  }

  @Test
  void aServerCloseWhileAWriteIsStalledIsWrittenOnceTheWriteFinishes() throws Exception {
    try (Tab tab = stalledTab()) {
      CompletableFuture<Void> handedOver = new CompletableFuture<>();
      handlerOf(tab.user()).close(CloseReason.GOING_AWAY, () -> handedOver.complete(null));
      tab.client().resume();
      assertEquals(new RecordingClient.Close(1001, "going_away"), tab.client().awaitClose());
      handedOver.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void invalidUtf8WhileAWriteIsStalledClosesWith1007OnceTheWriteFinishes() throws Exception {
    try (Tab tab = stalledTab()) {
      tab.client().sendText(new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'});
      JettyFrameHandler handler = handlerOf(tab.user());
      // the failure that makes Jetty close waits for the stalled write, and no frame follows it
      await().atMost(RecordingClient.WAIT).until(handler::directWritesClosed);
      tab.client().resume();
      assertEquals(1007, tab.client().awaitClose().code());
    }
  }

  /**
   * A subscribed tab whose client stopped reading while updates kept coming, until the socket buffers were
   * full: a write is in flight and the next update waits behind it.
   */
  private Tab stalledTab() throws Exception {
    Tab tab = subscribedTab(false);
    assertTrue(handlerOf(tab.user()).sendsDirect());
    SessionConnection connection = connectionOf(tab.user());
    tab.client().pause();
    AtomicBoolean stop = new AtomicBoolean();
    Thread publisher = new Thread(() -> {
      for (int p = 1; !stop.get(); p++) {
        tab.publish(p % 101, "step " + p + " " + "x".repeat(200));
      }
    });
    publisher.start();
    try {
      await().atMost(RecordingClient.WAIT).until(() -> connection.queuedFrames() > 0);
    } finally {
      stop.set(true);
      publisher.join();
    }
    return tab;
  }

  /** A new user's connection (offering permessage-deflate when asked), subscribed to a new job of theirs. */
  private Tab subscribedTab(boolean offerDeflate) throws IOException {
    Tab tab = new Tab("user-" + ids.incrementAndGet(), "job-" + ids.incrementAndGet(), offerDeflate);
    tab.client().sendText("{\"type\":\"subscribe\",\"data\":{\"jobId\":\"" + tab.job() + "\"}}");
    tab.client().assertFrame("subscribed");
    assertEquals("queued", tab.client().assertFrame("progress").get("status").getAsString());
    return tab;
  }

  /** One connection of {@code user}, whose job {@code job} is queued before it connects. */
  private final class Tab implements AutoCloseable {
    private final String user;
    private final String job;
    private final RawWebSocketClient client;

    Tab(String user, String job, boolean offerDeflate) throws IOException {
      this.user = user;
      this.job = job;
      hub.publishJobUpdate(ProgressEvent.queued(job, user));
      client = RawWebSocketClient.connect(port, "/ws?token=" + TestTokens.token(user), offerDeflate);
      client.assertFrame("connected");
    }

    String user() {
      return user;
    }

    String job() {
      return job;
    }

    RawWebSocketClient client() {
      return client;
    }

    /** Publishes a {@code processing} update of the job. */
    void publish(int progress, String message) {
      hub.publishJobUpdate(ProgressEvent.of(job, user, JobStatus.PROCESSING, progress, "processing", message));
    }

    @Override
    public void close() throws IOException {
      client.close();
    }
  }

  /** The pipeline of {@code user}'s one open connection. */
  private SessionConnection connectionOf(String user) {
    await().until(() -> ws.supervisor().watched().stream().anyMatch(c -> c.userId().equals(user)));
    return ws.supervisor().watched().stream().filter(c -> c.userId().equals(user)).findFirst().orElseThrow();
  }

  /** The Jetty handler of {@code user}'s one open connection. */
  private JettyFrameHandler handlerOf(String user) {
    await().until(() -> ws.supervisor().watched().stream().anyMatch(c -> c.userId().equals(user)));
    return ws.supervisor().watched().stream().filter(c -> c.userId().equals(user))
        .map(c -> (JettyFrameHandler) c.wire()).findFirst().orElseThrow();
  }
}
