package io.jobprogress.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobprogress.core.Broadcaster;
import io.jobprogress.core.ProgressEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * INTEREST mode: an event published right after {@code interest(JOB, id, true)} returns, before Redis
 * confirmed the SUBSCRIBE, still reaches the listener (the stored latest event fills the gap), once.
 */
class RedisSubscribeGapIT {
  @RegisterExtension
  static final RedisServerProcess redis = RedisServerProcess.perClass();

  @Test
  void anEventPublishedBeforeTheSubscriptionIsConfirmedStillReachesTheListenerOnce() {
    List<ProgressEvent> got = new CopyOnWriteArrayList<>();
    int jobs = 20;
    int beforeConfirmation = 0;
    List<String> ids = new ArrayList<>();
    try (RedisBroadcaster node = new RedisBroadcaster(RedisSettings.builder(redis.url()).build());
        RedisPublisher worker = new RedisPublisher(RedisSettings.builder(redis.url()).build())) {
      node.start(got::add);
      await().atMost(Duration.ofSeconds(5)).until(node::isReady);
      for (int i = 0; i < jobs; i++) {
        String job = "gap-" + i + "-" + System.nanoTime();
        ids.add(job);
        node.interest(Broadcaster.Scope.JOB, job, true);
        if (!node.isReady()) {
          beforeConfirmation++;
        }
        worker.publish(ProgressEvent.queued(job, "u1"));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> node.isReady()
          && ids.stream().allMatch(j -> got.stream().anyMatch(e -> e.jobId().equals(j))));
      assertTrue(beforeConfirmation > 0, "at least one publish raced the SUBSCRIBE");
      for (String job : ids) {
        assertEquals(1, got.stream().filter(e -> e.jobId().equals(job)).count(), "job " + job + " once: " + got);
      }
    }
  }
}
