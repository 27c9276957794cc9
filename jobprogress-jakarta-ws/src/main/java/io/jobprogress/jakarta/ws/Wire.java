package io.jobprogress.jakarta.ws;

import io.jobprogress.core.CloseReason;
import java.util.function.Consumer;

/**
 * One accepted WebSocket as the connection pipeline sees it, whatever the transport: {@link JakartaWire}
 * over a Jakarta {@code Session}, {@link JettyFrameHandler} over a Jetty 12 core {@code CoreSession}.
 * {@link SessionConnection}, {@link Supervisor} and {@link ConnectionRules} use only this seam.
 *
 * <p>Implementations are thread-safe: {@link #sendText} runs on the thread that pumps the connection's
 * queue, {@link #close} on the supervisor's close pool or a container thread.
 */
interface Wire {
  /** The connection's id for logs and stats (not secret); the same on every call. */
  String id();

  /**
   * Starts sending one text frame and returns without waiting for the network; {@code done} runs once, with
   * null when the frame was written or with the failure, possibly on this thread.
   */
  void sendText(String text, Consumer<Throwable> done);

  /** Whether the connection is still open for sending. */
  boolean isOpen();

  /**
   * Switches the container's own idle timer off (the {@link Supervisor}'s sweep owns the idle timeout) and
   * sets its text limit to {@code containerTextLimit} bytes; called once the connection is accepted.
   */
  void accept(int containerTextLimit);

  /**
   * Sends a close frame with the reason's code and text unless already closed, then runs {@code done}
   * (also when closing fails). May block (a Jakarta {@code Session.close} waits for a stuck send): the
   * supervisor calls it on its close pool.
   */
  void close(CloseReason reason, Runnable done);
}
