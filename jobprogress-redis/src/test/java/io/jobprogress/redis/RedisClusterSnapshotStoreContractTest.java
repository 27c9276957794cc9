package io.jobprogress.redis;

import io.jobprogress.core.SnapshotStore;
import io.jobprogress.testkit.SnapshotStoreContractTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link RedisSnapshotStore} on a real 3+3 Redis Cluster passes the SnapshotStore contract: the job keys in
 * one slot per job, the user index (recentJobsOf) written by the second step in the user's slot, capped
 * and free of expired entries ({@link UserIndexChecks}).
 */
class RedisClusterSnapshotStoreContractTest extends SnapshotStoreContractTest {
  @RegisterExtension
  static final RedisClusterProcess cluster = new RedisClusterProcess();
  private final List<RedisSnapshotStore> stores = new ArrayList<>();

  @AfterEach
  void closeStores() {
    stores.forEach(RedisSnapshotStore::close);
  }

  @Override
  protected SnapshotStore newStore() {
    RedisSnapshotStore s = new RedisSnapshotStore(cluster.settings().build());
    stores.add(s);
    return s;
  }

  @Test
  void userIndexStaysCappedDroppingTheOldest() {
    UserIndexChecks.indexStaysCappedDroppingTheOldest(cluster.settings());
  }

  @Test
  void userIndexEntryWhoseSnapshotExpiredIsSkippedAndTrimmedWhenAJobJoins() {
    UserIndexChecks.expiredEntryIsSkippedAndTrimmedWhenAJobJoins(cluster.settings());
  }
}
