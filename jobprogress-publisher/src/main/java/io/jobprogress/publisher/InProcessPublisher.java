package io.jobprogress.publisher;

import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.ProgressEvent;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes into a hub in the same JVM, through the hub's own broadcaster (so with a Redis broadcaster
 * it still reaches every instance). Thread-safe; {@link #close()} does not close the hub.
 */
final class InProcessPublisher implements JobProgressPublisher {
  private final JobProgressHub hub;
  private volatile boolean closed;

  InProcessPublisher(JobProgressHub hub) {
    this.hub = Objects.requireNonNull(hub, "hub");
  }

  @Override
  public ProgressEvent publish(ProgressEvent event) {
    Objects.requireNonNull(event, "event");
    if (closed) {
      throw new IllegalStateException("publisher: closed");
    }
    return hub.publishJobUpdate(event);
  }

  @Override
  public CompletableFuture<ProgressEvent> publishAsync(ProgressEvent event) {
    try {
      return CompletableFuture.completedFuture(publish(event));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public void close() {
    closed = true;
  }
}
