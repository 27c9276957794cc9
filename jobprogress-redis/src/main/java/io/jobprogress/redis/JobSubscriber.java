package io.jobprogress.redis;

import io.jobprogress.core.Broadcaster;
import java.util.Map;

/**
 * The receiving side of a {@link RedisBroadcaster}: {@link Subscriber} on one Redis, {@link ClusterSubscriber}
 * on a Redis Cluster. Each owns its threads from {@link #start} to {@link #close}; {@link #interest} never
 * blocks. Implementations are thread-safe.
 */
interface JobSubscriber {
  /** Starts the threads; interest recorded before is subscribed once connected. */
  void start(Broadcaster.Listener listener);

  /** Records interest in a job and schedules the subscription change; never blocks. */
  void interest(String jobId, boolean on);

  /** Connected, and every wanted job's channel confirmed by Redis. */
  boolean isReady();

  /** Counters and connection state for {@link RedisBroadcaster#stats()}. */
  Map<String, Object> stats();

  /** Stops the threads and waits (about 2 s each at most) for them to end. Called once. */
  void close();
}
