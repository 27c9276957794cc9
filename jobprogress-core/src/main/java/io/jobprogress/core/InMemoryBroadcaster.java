package io.jobprogress.core;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The zero-config {@link Broadcaster}: delivers within this JVM, on the publishing thread.
 *
 * <p>Several broadcasters can share one {@link Network} (one store, every node gets every event) to model
 * several instances in one process, as tests do; {@link #InMemoryBroadcaster()} makes a private one.
 * {@link #interest} hints are ignored: every node receives every event. A listener that throws is logged
 * and does not stop delivery to the others. Thread-safe.
 */
public final class InMemoryBroadcaster implements Broadcaster {
  private static final Logger log = LoggerFactory.getLogger(InMemoryBroadcaster.class);

  /** What several in-memory broadcasters share: the store and the set of started nodes. Thread-safe. */
  public static final class Network {
    private final SnapshotStore store;
    private final List<InMemoryBroadcaster> nodes = new CopyOnWriteArrayList<>();

    /** A network over a fresh {@link InMemorySnapshotStore}. */
    public Network() {
      this(new InMemorySnapshotStore());
    }

    /** A network over the given store. */
    public Network(SnapshotStore store) {
      this.store = Objects.requireNonNull(store, "store");
    }
  }

  private final Network network;
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private volatile Listener listener;
  private volatile boolean closed;

  /** A broadcaster on a private network with its own in-memory store. */
  public InMemoryBroadcaster() {
    this(new Network());
  }

  /** A broadcaster joining {@code network}. */
  public InMemoryBroadcaster(Network network) {
    this.network = Objects.requireNonNull(network, "network");
  }

  @Override
  public void start(Listener listener) {
    Objects.requireNonNull(listener, "listener");
    if (closed) {
      throw new IllegalStateException("broadcaster: closed");
    }
    if (this.listener != null) {
      throw new IllegalStateException("broadcaster: already started");
    }
    this.listener = listener;
    network.nodes.add(this);
  }

  @Override
  public ProgressEvent publish(ProgressEvent event) {
    if (closed) {
      throw new IllegalStateException("broadcaster: closed");
    }
    ProgressEvent stored = network.store.append(event);
    published.incrementAndGet();
    for (InMemoryBroadcaster node : network.nodes) {
      node.deliver(stored);
    }
    return stored;
  }

  private void deliver(ProgressEvent event) {
    Listener l = listener;
    if (l == null || closed) {
      return;
    }
    try {
      l.onEvent(event);
      delivered.incrementAndGet();
    } catch (RuntimeException e) {
      log.warn("broadcaster: listener failed for job {}", event.jobId(), e);
    }
  }

  @Override
  public SnapshotStore store() {
    return network.store;
  }

  @Override
  public Map<String, Object> stats() {
    return Map.of("type", "memory", "connected", !closed, "published", published.get(),
        "received", delivered.get());
  }

  @Override
  public void close() {
    closed = true;
    network.nodes.remove(this);
  }
}
