package io.jobprogress.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobprogress.core.Broadcaster;
import io.jobprogress.core.JobStatus;
import io.jobprogress.core.ProgressEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The final state published while a node's subscriber was away reaches the node through re-delivery.
 * The node's first reconnect attempt comes 1.5-3 s after the loss (backoff 3 s with jitter); the final
 * state is published right after Redis is back, well before that.
 */
class RedisRedeliveryIT {

  @ParameterizedTest
  @EnumSource(RedisSettings.Mode.class)
  void finalStatePublishedDuringTheOutageIsRedeliveredAfterReconnecting(RedisSettings.Mode mode) {
    List<ProgressEvent> got = new CopyOnWriteArrayList<>();
    String job = "redeliver-" + System.nanoTime();
    try (RedisServerProcess redis = RedisServerProcess.start();
        RedisBroadcaster node = new RedisBroadcaster(RedisSettings.builder(redis.url()).mode(mode)
            .backoff(Duration.ofSeconds(3), Duration.ofSeconds(3)).build());
        RedisSnapshotStore worker = new RedisSnapshotStore(RedisSettings.builder(redis.url()).build())) {
      node.start(got::add);
      node.interest(Broadcaster.Scope.JOB, job, true);
      await().atMost(Duration.ofSeconds(5)).until(node::isReady);
      worker.append(ProgressEvent.of(job, "u1", JobStatus.PROCESSING, 40, "s", ""));
      await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 1);

      redis.kill();
      await().atMost(Duration.ofSeconds(5)).until(() -> !(Boolean) node.stats().get("connected"));
      redis.restart();
      ProgressEvent done = worker.append(ProgressEvent.completed(job, "u1", "done"));

      await().atMost(Duration.ofSeconds(15)).until(() -> got.size() == 2);
      assertEquals(done, got.get(1));
      assertEquals(1L, node.stats().get("redelivered"), "stats " + node.stats());
      // live delivery works again afterwards, and the re-delivered state is not delivered twice
      String next = "next-" + System.nanoTime();
      node.interest(Broadcaster.Scope.JOB, next, true);
      await().atMost(Duration.ofSeconds(5)).until(node::isReady);
      worker.append(ProgressEvent.queued(next, "u1"));
      await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 3);
      assertEquals(next, got.get(2).jobId());
      assertTrue(node.isReady());
    }
  }
}
