package io.jobprogress.core;

import java.util.Map;

/**
 * A broadcaster for tests that need delivery to misbehave on purpose: {@link #muted} publishes store
 * without delivering (an event lost on its way, as a late Redis SUBSCRIBE loses it), and
 * {@link #deliverLate} delivers any event, e.g. an older one after a newer (a slow subscriber thread).
 * Delivery is synchronous on the publishing thread. Thread-safe.
 */
final class ScriptedBroadcaster implements Broadcaster {
  private final SnapshotStore store;
  private volatile Listener listener;
  volatile boolean muted;

  ScriptedBroadcaster(SnapshotStore store) {
    this.store = store;
  }

  @Override
  public void start(Listener l) {
    this.listener = l;
  }

  @Override
  public ProgressEvent publish(ProgressEvent event) {
    ProgressEvent stored = store.append(event);
    if (!muted) {
      listener.onEvent(stored);
    }
    return stored;
  }

  /** Delivers {@code event} as if it had just arrived, without storing it. */
  void deliverLate(ProgressEvent event) {
    listener.onEvent(event);
  }

  @Override
  public SnapshotStore store() {
    return store;
  }

  @Override
  public Map<String, Object> stats() {
    return Map.of("type", "scripted");
  }

  @Override
  public void close() {}
}
