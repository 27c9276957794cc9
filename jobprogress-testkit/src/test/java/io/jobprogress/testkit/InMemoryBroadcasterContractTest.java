package io.jobprogress.testkit;

import io.jobprogress.core.InMemoryBroadcaster;

/**
 * {@link InMemoryBroadcaster} passes the Broadcaster contract; its nodes share one network. It lives here
 * (not in jobprogress-core) because the kit depends on core, and it proves the kit runs as a user runs it.
 */
class InMemoryBroadcasterContractTest extends BroadcasterContractTest<InMemoryBroadcaster> {
  private final InMemoryBroadcaster.Network network = new InMemoryBroadcaster.Network();

  @Override
  protected InMemoryBroadcaster newNode() {
    return new InMemoryBroadcaster(network);
  }
}
