package io.jobprogress.redis;

import io.jobprogress.core.SnapshotStore;
import io.jobprogress.testkit.SnapshotStoreContractTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link RedisSnapshotStore} passes the SnapshotStore contract on a real redis-server, with no subscriber, and
 * keeps its user index capped and free of expired entries ({@link UserIndexChecks}).
 */
class RedisSnapshotStoreContractTest extends SnapshotStoreContractTest {
  @RegisterExtension
  static final RedisServerProcess redis = RedisServerProcess.perClass();
  private final List<RedisSnapshotStore> stores = new ArrayList<>();

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

  @Test
  void userIndexStaysCappedDroppingTheOldest() {
    UserIndexChecks.indexStaysCappedDroppingTheOldest(RedisSettings.builder(redis.url()));
  }

  @Test
  void userIndexEntryWhoseSnapshotExpiredIsSkippedAndTrimmedWhenAJobJoins() {
    UserIndexChecks.expiredEntryIsSkippedAndTrimmedWhenAJobJoins(RedisSettings.builder(redis.url()));
  }
}
