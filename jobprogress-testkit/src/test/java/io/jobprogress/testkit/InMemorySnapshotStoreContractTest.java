package io.jobprogress.testkit;

import io.jobprogress.core.InMemorySnapshotStore;
import io.jobprogress.core.SnapshotStore;

/** {@link InMemorySnapshotStore} passes the SnapshotStore contract (its TTL and bounds are tested in core). */
class InMemorySnapshotStoreContractTest extends SnapshotStoreContractTest {
  @Override
  protected SnapshotStore newStore() {
    return new InMemorySnapshotStore();
  }
}
