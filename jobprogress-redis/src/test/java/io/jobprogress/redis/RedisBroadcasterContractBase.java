package io.jobprogress.redis;

import io.jobprogress.testkit.BroadcasterContractTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Runs the Broadcaster contract against {@link RedisBroadcaster} on a real redis-server, in one mode. */
abstract class RedisBroadcasterContractBase extends BroadcasterContractTest<RedisBroadcaster> {
  @RegisterExtension
  static final RedisServerProcess redis = RedisServerProcess.perClass();

  /** The subscription mode under test. */
  abstract RedisSettings.Mode mode();

  @Override
  protected RedisBroadcaster newNode() {
    return new RedisBroadcaster(RedisSettings.builder(redis.url()).mode(mode()).build());
  }

  /** Ready once Redis confirmed the node's subscriptions. */
  @Override
  protected boolean isReady(RedisBroadcaster node) {
    return node.isReady();
  }
}
