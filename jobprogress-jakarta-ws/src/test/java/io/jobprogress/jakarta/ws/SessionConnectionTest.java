package io.jobprogress.jakarta.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobprogress.core.CloseReason;
import jakarta.websocket.Session;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** {@link SessionConnection}'s close order, with a stand-in {@link Session} (only the methods it calls). */
class SessionConnectionTest {
  @Test
  void aForcedCloseUnregistersBeforeTheCloseFrameCanReachTheClient() throws Exception {
    AtomicBoolean unregistered = new AtomicBoolean();
    CompletableFuture<Boolean> unregisteredWhenClosing = new CompletableFuture<>();
    CompletableFuture<jakarta.websocket.CloseReason> sent = new CompletableFuture<>();
    Session session = (Session) Proxy.newProxyInstance(Session.class.getClassLoader(), new Class<?>[] {Session.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "getId" -> "s1";
          case "isOpen" -> true;
          case "close" -> {
            unregisteredWhenClosing.complete(unregistered.get());
            sent.complete((jakarta.websocket.CloseReason) args[0]);
            yield null;
          }
          default -> throw new UnsupportedOperationException(method.getName());
        });
    Supervisor supervisor = new Supervisor(Duration.ofSeconds(10), Duration.ofSeconds(60));
    // with its close pool shut down the supervisor closes on the calling thread: the order is exact
    supervisor.shutdown(CloseReason.RESTART);
    SessionConnection conn = new SessionConnection(session, "alice", 8, supervisor);
    conn.onClosed(() -> unregistered.set(true));
    conn.forceClose(CloseReason.UNSUPPORTED_DATA);
    assertTrue(unregisteredWhenClosing.get(10, TimeUnit.SECONDS), "the close was sent while still registered");
    assertEquals(1003, sent.get().getCloseCode().getCode());
    assertEquals("unsupported_data", sent.get().getReasonPhrase());
  }
}
