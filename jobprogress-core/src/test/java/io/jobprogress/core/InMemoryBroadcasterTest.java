package io.jobprogress.core;

/** {@link InMemoryBroadcaster} passes the Broadcaster contract; its nodes share one network. */
class InMemoryBroadcasterTest extends BroadcasterContractTest {
  private final InMemoryBroadcaster.Network network = new InMemoryBroadcaster.Network();

  @Override
  protected Broadcaster newNode() {
    return new InMemoryBroadcaster(network);
  }
}
