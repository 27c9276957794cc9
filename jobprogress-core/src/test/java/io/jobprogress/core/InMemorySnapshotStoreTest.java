package io.jobprogress.core;

/** {@link InMemorySnapshotStore} passes the SnapshotStore contract. */
class InMemorySnapshotStoreTest extends SnapshotStoreContractTest {
  @Override
  protected SnapshotStore newStore() {
    return new InMemorySnapshotStore();
  }
}
