package io.jobprogress.jakarta.ws;

import io.jobprogress.core.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.Session;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Wire} over a Jakarta WebSocket {@link Session}. Holds only the session; thread-safe as far as
 * the container's {@code Session} is (async sends from any thread, one in flight: {@link SessionConnection}
 * sees to that).
 */
final class JakartaWire implements Wire {
  private static final Logger log = LoggerFactory.getLogger(JakartaWire.class);

  private final Session session;

  JakartaWire(Session session) {
    this.session = session;
  }

  @Override
  public String id() {
    return session.getId();
  }

  @Override
  public void sendText(String text, Consumer<Throwable> done) {
    session.getAsyncRemote().sendText(text, result -> done.accept(result.isOK() ? null : result.getException()));
  }

  @Override
  public boolean isOpen() {
    return session.isOpen();
  }

  @Override
  public void accept(int containerTextLimit) {
    session.setMaxTextMessageBufferSize(containerTextLimit);
    // 0: no container idle timer (Jetty's default would close after 30 s). Never a positive value: Tyrus
    // schedules its idle check with the timeout as of session creation (0 there: at once), and that check,
    // running after a positive value was set here, closes the fresh session "because of the idle timeout".
    session.setMaxIdleTimeout(0);
  }

  @Override
  public void close(CloseReason reason, Runnable done) {
    try {
      if (session.isOpen()) {
        session.close(new jakarta.websocket.CloseReason(CloseCodes.getCloseCode(reason.code()), reason.reason()));
      }
    } catch (Exception e) {
      log.debug("Closing a session failed: {}", String.valueOf(e));
    } finally {
      done.run();
    }
  }
}
