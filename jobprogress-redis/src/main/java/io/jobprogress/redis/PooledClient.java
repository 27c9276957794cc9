package io.jobprogress.redis;

import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.providers.PooledConnectionProvider;

/**
 * The pooled Redis client that the publisher, the snapshot store and their async sender of one instance
 * share: a {@link UnifiedJedis} over a {@link PooledConnectionProvider}, connecting lazily.
 *
 * <p><b>Why not {@code JedisPooled} or {@code RedisClient}.</b> Frameworks pin the Jedis version (Spring
 * Boot 3.5 manages 6.0, Boot 4.0 manages 7.0), so this class is built only from API that Jedis 6.x, 7.x
 * and 8.x all have, with the same signatures: {@code RedisClient} exists only from 7.x on, while
 * {@code JedisPooled} is gone in 8.x, and {@code UnifiedJedis.pipelined()} returns a different type in 6.x
 * than in 7.x, so pipelines are built from a pooled connection here. Connections speak RESP2 on every
 * version (Jedis 8 would otherwise negotiate RESP3 and 6 would not), so replies have one shape.
 *
 * <p><b>Lifecycle and threads.</b> Thread-safe; {@link #close()} closes the pool. Each command borrows a
 * connection for one round trip.
 */
final class PooledClient extends UnifiedJedis {
  private final PooledConnectionProvider provider;

  private PooledClient(PooledConnectionProvider provider) {
    super(provider, RedisProtocol.RESP2);
    this.provider = provider;
  }

  /** A client for the Redis of {@code settings}, with {@link RedisSettings#poolSize()} connections at most. */
  static PooledClient of(RedisSettings settings) {
    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    pool.setMaxTotal(settings.poolSize());
    pool.setMaxIdle(settings.poolSize());
    int timeout = (int) settings.timeout().toMillis();
    DefaultJedisClientConfig config = DefaultJedisClientConfig.builder()
        .from(settings.url().clientConfig(timeout, timeout, "jobprogress-" + settings.nodeId()))
        .protocol(RedisProtocol.RESP2).build();
    return new PooledClient(new PooledConnectionProvider(settings.url().hostAndPort(), config, pool));
  }

  /** A pipeline on a pooled connection; closing the pipeline gives the connection back. */
  Pipeline pipeline() {
    return new Pipeline(provider.getConnection(), true);
  }

  /** Drops the idle pooled connections (after a lost connection they are dead too: Redis restarted). */
  void dropIdleConnections() {
    provider.getPool().clear();
  }
}
