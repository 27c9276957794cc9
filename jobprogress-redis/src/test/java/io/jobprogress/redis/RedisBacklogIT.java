package io.jobprogress.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jobprogress.core.Broadcaster;
import io.jobprogress.core.JobStatus;
import io.jobprogress.core.ProgressEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A subscriber busy with a backlog is alive: its heartbeat's pong waits behind the messages the reader has
 * not handled yet, and dropping the connection for that (as a hung Redis would be dropped) loses every
 * message still unread. The load benchmark lost a third of 200,000 frames that way at 20,000 frames/s.
 */
class RedisBacklogIT {
  private final RedisServerProcess redis = RedisServerProcess.start();
  private final RedisBroadcaster broadcaster = new RedisBroadcaster(RedisSettings.builder(redis.url())
      .heartbeatInterval(Duration.ofMillis(100)).pongTimeout(Duration.ofMillis(300)).build());
  private final RedisSnapshotStore worker = new RedisSnapshotStore(RedisSettings.builder(redis.url()).build());

  @AfterEach
  void stop() {
    broadcaster.close();
    worker.close();
    redis.close();
  }

  @Test
  void aBacklogLongerThanThePongTimeoutIsDeliveredWholeWithoutDroppingTheConnection() {
    List<Long> seqs = new CopyOnWriteArrayList<>();
    broadcaster.start(e -> {
      seqs.add(e.seq());
      try {
        Thread.sleep(5); // a slow listener: 400 events take about 2 s, far over the 300 ms pong timeout
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
    });
    broadcaster.interest(Broadcaster.Scope.JOB, "backlog", true);
    await().atMost(Duration.ofSeconds(10)).until(broadcaster::isReady);
    for (int i = 1; i <= 399; i++) {
      worker.append(ProgressEvent.of("backlog", "alice", JobStatus.PROCESSING, i / 4, "step", "Step " + i));
    }
    worker.append(ProgressEvent.completed("backlog", "alice", "Done"));

    await().atMost(Duration.ofSeconds(30)).until(() -> seqs.contains(400L));
    assertEquals(java.util.stream.LongStream.rangeClosed(1, 400).boxed().toList(), List.copyOf(seqs),
        "every event once, in order, none lost to a reconnect");
    assertEquals(0L, broadcaster.stats().get("reconnects"), () -> "stats " + broadcaster.stats());
    assertEquals(0L, broadcaster.stats().get("heartbeatTimeouts"), () -> "stats " + broadcaster.stats());
  }
}
