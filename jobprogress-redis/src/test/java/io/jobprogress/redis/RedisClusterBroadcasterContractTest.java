package io.jobprogress.redis;

import io.jobprogress.testkit.BroadcasterContractTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RedisBroadcaster} on a real 3+3 Redis Cluster (sharded pub/sub) passes the Broadcaster contract. */
class RedisClusterBroadcasterContractTest extends BroadcasterContractTest<RedisBroadcaster> {
  @RegisterExtension
  static final RedisClusterProcess cluster = new RedisClusterProcess();

  @Override
  protected RedisBroadcaster newNode() {
    return new RedisBroadcaster(cluster.settings().build());
  }

  /** Ready once every job of interest is confirmed by the master owning its slot. */
  @Override
  protected boolean isReady(RedisBroadcaster node) {
    return node.isReady();
  }
}
