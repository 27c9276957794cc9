package io.jobprogress.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobprogress.core.Broadcaster;
import io.jobprogress.core.JobStatus;
import io.jobprogress.core.ProgressEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * INTEREST mode, the hub's subscribe sequence: {@code interest(JOB, id, true)}, then the snapshot read;
 * an event published right after that read, before Redis confirmed the SUBSCRIBE, never arrives live.
 * The subscriber fills the gap from the store once the SUBSCRIBE is confirmed, and delivers it once.
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
        worker.publish(ProgressEvent.queued(job, "u1"));
        CountDownLatch hold = new CountDownLatch(i % 2); // odd rounds: the SUBSCRIBE is sent only later
        node.subscriber().onOpsThread(() -> awaitQuietly(hold));
        node.interest(Broadcaster.Scope.JOB, job, true);
        assertEquals(1, node.store().latest(job).orElseThrow().seq()); // what the hub sends the subscriber
        if (!node.isReady()) {
          beforeConfirmation++;
        }
        worker.publish(ProgressEvent.of(job, "u1", JobStatus.PROCESSING, 20, "s", ""));
        hold.countDown();
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> node.isReady()
          && ids.stream().allMatch(j -> got.stream().anyMatch(e -> e.jobId().equals(j))));
      assertTrue(beforeConfirmation >= jobs / 2, "half the publishes came before the SUBSCRIBE");
      for (String job : ids) {
        assertEquals(List.of(2L), got.stream().filter(e -> e.jobId().equals(job)).map(ProgressEvent::seq).toList(),
            "job " + job + ": seq 2 once, seq 1 not again: " + got);
      }
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
