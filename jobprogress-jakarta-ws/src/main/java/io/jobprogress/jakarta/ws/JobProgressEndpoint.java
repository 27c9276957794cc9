package io.jobprogress.jakarta.ws;

import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import java.nio.ByteBuffer;

/**
 * The jobprogress WebSocket endpoint on the Jakarta transport: one instance per connection, created by the
 * handshake configurator of a {@link JobProgressWebSocket}. Thin by design: it hands the handshake's
 * outcome, each message and the close to {@link ConnectionRules} (the same rules as the Jetty core
 * transport), which refuses a connection whose handshake carried no valid token (close 1008 before any
 * data frame, never registered), applies the frame-size limit, refuses binary frames, and hands every text
 * frame to the core's {@link io.jobprogress.core.HubSession}, which speaks the protocol.
 *
 * <p>Closes are the library's own in every container: a text frame over
 * {@link TransportSettings#maxFrameBytes()} closes with 1009 {@code message_too_big} (the container's own text
 * limit is set to {@link ConnectionRules#containerTextLimit twice that}, so the library sees the frame first;
 * only a frame bigger still meets the container's limit and reason text), a binary frame with 1003
 * {@code unsupported_data} at its first fragment, and the idle timeout is the {@link Supervisor}'s
 * ({@code idle_timeout}); the container's own idle timer is switched off.
 *
 * <p>Called by the container: {@code onOpen}, then the message handler one frame at a time, then
 * {@code onClose}; {@code onError} may come in between and is logged at debug.
 */
public final class JobProgressEndpoint extends Endpoint {
  private final JobProgressWebSocket socket;
  // written once in onOpen (container thread), read by the session's later callbacks (volatile)
  private volatile ConnectionRules rules;

  JobProgressEndpoint(JobProgressWebSocket socket) {
    this.socket = socket;
  }

  @Override
  public void onOpen(Session session, EndpointConfig config) {
    Object outcome = session.getUserProperties().get(HandshakeConfigurator.OUTCOME);
    ConnectionRules r = ConnectionRules.open(socket, new JakartaWire(session), outcome);
    rules = r;
    if (r != null && r.accepts()) {
      session.addMessageHandler(String.class, (MessageHandler.Whole<String>) r::onText);
      // Partial: refused at the first fragment, before the container buffers a whole binary message
      session.addMessageHandler(ByteBuffer.class, (MessageHandler.Partial<ByteBuffer>) (data, last) -> r.onBinary());
      session.addMessageHandler(PongMessage.class, (MessageHandler.Whole<PongMessage>) pong -> r.onPong());
    }
  }

  @Override
  public void onClose(Session session, jakarta.websocket.CloseReason closeReason) {
    ConnectionRules r = rules;
    if (r != null) {
      r.onContainerClose();
    }
  }

  @Override
  public void onError(Session session, Throwable error) {
    ConnectionRules.onError(rules, error);
  }
}
