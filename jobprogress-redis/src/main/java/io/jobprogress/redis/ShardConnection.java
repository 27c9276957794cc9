package io.jobprogress.redis;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisShardedPubSub;

/**
 * One sharded pub/sub connection of a {@link ClusterSubscriber} to one cluster master, read by its own
 * thread ({@code jobprogress-redis-sub-<host:port>}), which runs the callbacks. It opens with one job's
 * {@code SSUBSCRIBE} (a command may only name channels of one slot); the subscriber's ops thread sends the
 * others, one command each, once Redis confirmed the first. The thread ends when the connection breaks,
 * when Redis answers MOVED, or when no channel is left; the subscriber is told and takes it from there.
 */
final class ShardConnection extends JedisShardedPubSub {
  private static final Logger log = LoggerFactory.getLogger(ShardConnection.class);

  final HostAndPort node;
  /** Jobs asked for on this connection: ops thread adds and removes, the reader removes (concurrent). */
  final Set<String> sent = ConcurrentHashMap.newKeySet();
  /** Jobs Redis confirmed on this connection: written by the reader and the ops thread (concurrent). */
  final Set<String> confirmed = ConcurrentHashMap.newKeySet();
  /** Jobs whose next confirmation is a resubscribe: ops thread adds, reader takes (concurrent). */
  final Set<String> resubscribe = ConcurrentHashMap.newKeySet();
  /** Set by the reader at the first confirmation; read by the ops thread. */
  volatile boolean established;
  /** Set by the reader when the connection is over. */
  volatile boolean ended;

  private final ClusterSubscriber owner;
  private final JedisClientConfig config;
  private final RedisKeys keys;
  private final String first;
  private final Thread reader;
  private volatile Connection connection; // written by the reader, closed by close()

  ShardConnection(ClusterSubscriber owner, HostAndPort node, JedisClientConfig config, RedisKeys keys, String first,
      boolean resubscribing) {
    this.owner = owner;
    this.node = node;
    this.config = config;
    this.keys = keys;
    this.first = first;
    sent.add(first);
    if (resubscribing) {
      resubscribe.add(first);
    }
    this.reader = new Thread(this::run, "jobprogress-redis-sub-" + node);
    reader.setDaemon(true);
  }

  void open() {
    reader.start();
  }

  private void run() {
    RuntimeException error = null;
    try {
      Connection c = new Connection(node, config);
      connection = c;
      if (!owner.isClosed()) {
        proceed(c, keys.channel(first));
      }
    } catch (RuntimeException e) {
      error = e;
    } finally {
      ended = true;
      Connection c = connection;
      if (c != null) {
        try {
          c.close();
        } catch (RuntimeException ignored) {
          // already broken
        }
      }
      owner.ended(this, error);
    }
  }

  /** Sends a (S)SUBSCRIBE change from the ops thread; a failure breaks the connection (the reader reports it). */
  void send(Runnable command) {
    try {
      command.run();
    } catch (RuntimeException e) {
      log.debug("redis: subscription change on {} failed: {}", node, e.getMessage());
      disconnect();
    }
  }

  @Override
  public void onSSubscribe(String channel, int count) {
    established = true;
    String job = keys.jobIdOf(channel);
    if (job != null) {
      confirmed.add(job);
      owner.subscribed(this, job);
    }
  }

  @Override
  public void onSUnsubscribe(String channel, int count) {
    String job = keys.jobIdOf(channel);
    if (job != null) {
      confirmed.remove(job);
      owner.unsubscribed(this, job);
    }
  }

  @Override
  public void onSMessage(String channel, String message) {
    owner.message(channel, message);
  }

  private void disconnect() {
    Connection c = connection;
    if (c != null) {
      try {
        c.disconnect();
      } catch (RuntimeException ignored) {
        // the reader sees the broken socket either way
      }
    }
  }

  /** Breaks the connection and waits up to 2 s for the reader to end. */
  void close() {
    disconnect();
    try {
      reader.join(TimeUnit.SECONDS.toMillis(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
