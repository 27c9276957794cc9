package io.jobprogress.redis;

import static org.awaitility.Awaitility.await;

import io.jobprogress.core.Broadcaster;
import io.jobprogress.core.BroadcasterContractTest;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Runs the Broadcaster contract against {@link RedisBroadcaster} on a real redis-server, in one mode. */
abstract class RedisBroadcasterContractBase extends BroadcasterContractTest {
  @RegisterExtension
  static final RedisServerProcess redis = RedisServerProcess.perClass();

  /** The subscription mode under test. */
  abstract RedisSettings.Mode mode();

  @Override
  protected Broadcaster newNode() {
    return new RedisBroadcaster(RedisSettings.builder(redis.url()).mode(mode()).build());
  }

  /** Waits until Redis confirmed each node's subscriptions. */
  @Override
  protected void awaitReady(Broadcaster... nodes) {
    await().atMost(Duration.ofSeconds(5))
        .until(() -> Arrays.stream(nodes).allMatch(n -> ((RedisBroadcaster) n).isReady()));
  }
}
