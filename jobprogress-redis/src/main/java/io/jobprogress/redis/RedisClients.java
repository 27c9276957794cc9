package io.jobprogress.redis;

import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.UnifiedJedis;

/**
 * Opens the pooled client of one instance: a {@link PooledClient} for one Redis, or Jedis's cluster client
 * for a Redis Cluster ({@link RedisSettings#cluster()}). Both are {@link UnifiedJedis}, so the publisher and
 * the snapshot store run the same commands on either; the cluster client routes each by its key's slot and
 * follows MOVED/ASK redirections and failovers by itself.
 *
 * <p><b>Why {@code JedisCluster}.</b> It is the one cluster client with the same constructor in Jedis 6.x,
 * 7.x and 8.x ({@code RedisClusterClient} is 7.x+ only); it is deprecated from 7.5 on, not removed. Like
 * {@link PooledClient}, its connections speak RESP2 on every version. Stateless and thread-safe.
 */
final class RedisClients {
  /** How often the cluster client follows a redirection or retries a broken node within one command. */
  static final int CLUSTER_MAX_ATTEMPTS = 5;

  private RedisClients() {}

  /** The client for {@code settings}; connects lazily (one Redis) or at once (a cluster: it reads the slots). */
  static UnifiedJedis open(RedisSettings settings) {
    return settings.cluster() ? cluster(settings) : PooledClient.of(settings);
  }

  /** The connection configuration every client and subscriber connection of this instance uses. */
  static JedisClientConfig config(RedisSettings settings, String clientName) {
    int timeout = (int) settings.timeout().toMillis();
    return DefaultJedisClientConfig.builder()
        .from(settings.url().clientConfig(timeout, timeout, clientName))
        .protocol(RedisProtocol.RESP2).build();
  }

  @SuppressWarnings("deprecation") // JedisCluster: the only cluster client in all of Jedis 6, 7 and 8
  private static UnifiedJedis cluster(RedisSettings settings) {
    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    pool.setMaxTotal(settings.poolSize());
    pool.setMaxIdle(settings.poolSize());
    return new JedisCluster(settings.clusterSeeds(), config(settings, "jobprogress-" + settings.nodeId()),
        CLUSTER_MAX_ATTEMPTS, pool);
  }

  /** After a lost connection the idle pooled ones of one Redis are dead too (it restarted): drop them. */
  static void dropIdleConnections(UnifiedJedis client) {
    if (client instanceof PooledClient p) {
      p.dropIdleConnections();
    }
  }
}
