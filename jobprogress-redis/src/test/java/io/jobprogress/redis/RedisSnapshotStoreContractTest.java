package io.jobprogress.redis;

import io.jobprogress.core.SnapshotStore;
import io.jobprogress.core.SnapshotStoreContractTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** {@link RedisSnapshotStore} passes the SnapshotStore contract on a real redis-server, with no subscriber. */
class RedisSnapshotStoreContractTest extends SnapshotStoreContractTest {
  private static RedisServerProcess redis;
  private final List<RedisSnapshotStore> stores = new ArrayList<>();

  @BeforeAll
  static void startRedis() {
    redis = RedisServerProcess.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @AfterEach
  void closeStores() {
    stores.forEach(RedisSnapshotStore::close);
  }

  @Override
  protected SnapshotStore newStore() {
    RedisSnapshotStore s = new RedisSnapshotStore(RedisSettings.builder(redis.url()).build());
    stores.add(s);
    return s;
  }
}
