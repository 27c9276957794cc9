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
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** {@link SessionConnection}'s close order, with a stand-in {@link Wire}; {@link JakartaWire}'s close frame. */
class SessionConnectionTest {
  @Test
  void aForcedCloseUnregistersBeforeTheCloseFrameCanReachTheClient() throws Exception {
    AtomicBoolean unregistered = new AtomicBoolean();
    CompletableFuture<Boolean> unregisteredWhenClosing = new CompletableFuture<>();
    CompletableFuture<CloseReason> sent = new CompletableFuture<>();
    Wire wire = new Wire() {
      @Override public String id() { return "s1"; }
      @Override public void sendText(String text, Consumer<Throwable> done) { throw new UnsupportedOperationException(); }
      @Override public boolean isOpen() { return true; }
      @Override public void accept(int containerTextLimit) { throw new UnsupportedOperationException(); }

      @Override
      public void close(CloseReason reason, Runnable done) {
        unregisteredWhenClosing.complete(unregistered.get());
        sent.complete(reason);
        done.run();
      }
    };
    Supervisor supervisor = new Supervisor(Duration.ofSeconds(10), Duration.ofSeconds(60));
    // with its close pool shut down the supervisor closes on the calling thread: the order is exact
    supervisor.shutdown(CloseReason.RESTART);
    SessionConnection conn = new SessionConnection(wire, "alice", 8, supervisor);
    conn.onClosed(() -> unregistered.set(true));
    conn.forceClose(CloseReason.UNSUPPORTED_DATA);
    assertTrue(unregisteredWhenClosing.get(10, TimeUnit.SECONDS), "the close was sent while still registered");
    assertEquals(CloseReason.UNSUPPORTED_DATA, sent.get());
    assertTrue(conn.finished().isDone(), "finished once the close was handed over");
  }

  @Test
  void theJakartaWireClosesWithTheReasonsCodeAndText() {
    CompletableFuture<jakarta.websocket.CloseReason> sent = new CompletableFuture<>();
    Session session = (Session) Proxy.newProxyInstance(Session.class.getClassLoader(), new Class<?>[] {Session.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "isOpen" -> true;
          case "close" -> sent.complete((jakarta.websocket.CloseReason) args[0]);
          default -> throw new UnsupportedOperationException(method.getName());
        });
    AtomicBoolean done = new AtomicBoolean();
    new JakartaWire(session).close(CloseReason.UNSUPPORTED_DATA, () -> done.set(true));
    assertEquals(1003, sent.join().getCloseCode().getCode());
    assertEquals("unsupported_data", sent.join().getReasonPhrase());
    assertTrue(done.get());
  }
}
