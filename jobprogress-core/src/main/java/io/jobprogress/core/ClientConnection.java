package io.jobprogress.core;

/**
 * One client connection as the hub sees it, independent of the transport. The WebSocket module implements
 * it over a Jakarta {@code Session}; tests implement it with a queue.
 *
 * <p>Implementations must be thread-safe: {@link #send} is called from event-delivery threads (for
 * example the Redis subscriber thread) concurrently with the connection's own inbound thread, and it
 * must never block on the network: it queues and returns. Identity is object identity.
 */
public interface ClientConnection {

  /** A unique id for logs and stats (not secret). */
  String id();

  /** The authenticated user owning this connection. Never changes for the connection's life. */
  String userId();

  /**
   * Queues a frame for sending and returns at once. Frames are delivered in the order given, except that
   * a {@link OutboundFrame#replaceable() replaceable} frame may be replaced by a newer one for the same
   * job. Never throws for a closed connection: the frame is dropped.
   */
  void send(OutboundFrame frame);

  /** Closes the connection with the reason's code and text. Idempotent; never blocks on the network. */
  void close(CloseReason reason);
}
