package io.jobprogress.redis;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import redis.clients.jedis.JedisPubSub;

/**
 * The pub/sub callbacks of one subscriber connection (a new one per reconnect), run on the reader thread
 * ({@code jobprogress-redis-sub}) and passed on to {@link Events}; also the per-connection bookkeeping of
 * the {@link Subscriber}, whose fields say which thread owns them. Jedis' {@code subscribe}/{@code ping}
 * methods on it are called by the ops thread only, so one thread writes while the reader reads.
 */
final class ConnectionHandler extends JedisPubSub {

  /** What the subscriber does with the callbacks; called on the reader thread, must not block. */
  interface Events {
    /** The connection is subscribed (control channel or pattern confirmed). */
    void established(ConnectionHandler h);

    /** Redis confirmed a job channel on this connection. */
    void subscribed(ConnectionHandler h, String jobId);

    /** Redis confirmed leaving a job channel. */
    void unsubscribed(String jobId);

    /** A message on a job channel. */
    void message(String channel, String payload);

    /** The answer to a heartbeat PING. */
    void pong();
  }

  /** Job ids this connection was asked to subscribe: read and written by the ops thread only. */
  final Set<String> sent = new HashSet<>();
  /**
   * Jobs whose stored latest event is re-delivered once their channel is live again (after a reconnect):
   * filled by the ops thread, taken by the reader thread (concurrent set).
   */
  final Set<String> redeliver = ConcurrentHashMap.newKeySet();
  /** Written by the reader thread once subscribed; read by the ops thread (volatile). */
  volatile boolean established;

  private final RedisKeys keys;
  private final String controlChannel;
  private final Events events;

  ConnectionHandler(RedisKeys keys, String controlChannel, Events events) {
    this.keys = keys;
    this.controlChannel = controlChannel;
    this.events = events;
  }

  @Override
  public void onSubscribe(String channel, int count) {
    if (channel.equals(controlChannel)) {
      events.established(this);
      return;
    }
    String job = keys.jobIdOf(channel);
    if (job != null) {
      events.subscribed(this, job);
    }
  }

  @Override
  public void onPSubscribe(String pattern, int count) {
    events.established(this);
  }

  @Override
  public void onUnsubscribe(String channel, int count) {
    String job = keys.jobIdOf(channel);
    if (job != null) {
      events.unsubscribed(job);
    }
  }

  @Override
  public void onMessage(String channel, String message) {
    events.message(channel, message);
  }

  @Override
  public void onPMessage(String pattern, String channel, String message) {
    events.message(channel, message);
  }

  @Override
  public void onPong(String pattern) {
    events.pong();
  }
}
