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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/** What each subscription mode receives, and how bad payloads are handled; real redis-server. */
class RedisBroadcasterIT {
  @RegisterExtension
  static final RedisServerProcess redis = RedisServerProcess.perClass();
  private final List<RedisBroadcaster> nodes = new ArrayList<>();

  @AfterEach
  void closeNodes() {
    nodes.forEach(RedisBroadcaster::close);
  }

  private RedisBroadcaster node(RedisSettings.Mode mode, List<ProgressEvent> sink) {
    RedisBroadcaster b = new RedisBroadcaster(RedisSettings.builder(redis.url()).mode(mode).build());
    nodes.add(b);
    b.start(sink::add);
    return b;
  }

  private static long received(RedisBroadcaster b) {
    return (Long) b.stats().get("received");
  }

  private static String job(String name) {
    return name + "-" + System.nanoTime();
  }

  @Test
  void interestNodeWithoutASubscriberForAJobReceivesNoneOfItsMessages() {
    List<ProgressEvent> watching = new CopyOnWriteArrayList<>();
    List<ProgressEvent> idle = new CopyOnWriteArrayList<>();
    List<ProgressEvent> all = new CopyOnWriteArrayList<>();
    RedisBroadcaster a = node(RedisSettings.Mode.INTEREST, watching);
    RedisBroadcaster b = node(RedisSettings.Mode.INTEREST, idle);
    RedisBroadcaster p = node(RedisSettings.Mode.PATTERN, all);
    String hot = job("hot");
    String marker = job("marker");
    a.interest(Broadcaster.Scope.JOB, hot, true);
    b.interest(Broadcaster.Scope.JOB, marker, true);
    await().atMost(Duration.ofSeconds(5)).until(() -> a.isReady() && b.isReady() && p.isReady());
    for (int i = 0; i < 50; i++) {
      a.publish(ProgressEvent.of(hot, "u1", JobStatus.PROCESSING, i, "s", ""));
    }
    // Redis writes to each subscriber in publish order: once b has the marker, it would have had hot's 50.
    a.publish(ProgressEvent.queued(marker, "u1"));
    await().atMost(Duration.ofSeconds(10)).until(() -> watching.size() == 50 && idle.size() == 1 && all.size() == 51);
    assertEquals(50, received(a));
    assertEquals(1, received(b), "b received only the marker job it is interested in");
    assertEquals(marker, idle.get(0).jobId());
    assertEquals(51, received(p), "the pattern node receives every job");
  }

  @Test
  void lostInterestUnsubscribesTheJobChannel() {
    List<ProgressEvent> got = new CopyOnWriteArrayList<>();
    RedisBroadcaster a = node(RedisSettings.Mode.INTEREST, got);
    String j = job("gone");
    String marker = job("marker");
    a.interest(Broadcaster.Scope.JOB, j, true);
    a.interest(Broadcaster.Scope.JOB, marker, true);
    await().atMost(Duration.ofSeconds(5)).until(a::isReady);
    a.interest(Broadcaster.Scope.JOB, j, false);
    await().atMost(Duration.ofSeconds(5)).until(() -> {
      try (Jedis r = redis.jedis()) {
        return r.pubsubNumSub(new RedisKeys("").channel(j)).get(new RedisKeys("").channel(j)) == 0;
      }
    });
    a.publish(ProgressEvent.queued(j, "u1"));
    a.publish(ProgressEvent.queued(marker, "u1"));
    await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 1);
    assertEquals(marker, got.get(0).jobId());
  }

  @Test
  void malformedPayloadsAreCountedAndTheSubscriberKeepsWorking() {
    List<ProgressEvent> got = new CopyOnWriteArrayList<>();
    RedisBroadcaster a = node(RedisSettings.Mode.INTEREST, got);
    String j = job("bad");
    a.interest(Broadcaster.Scope.JOB, j, true);
    await().atMost(Duration.ofSeconds(5)).until(a::isReady);
    String channel = new RedisKeys("").channel(j);
    try (Jedis r = redis.jedis()) {
      r.publish(channel, "{not json");
      r.publish(channel, "{\"jobId\":\"" + j + "\",\"userId\":\"u1\",\"status\":\"processing\",\"progress\":140}");
      r.publish(channel, "{\"jobId\":\"other\",\"userId\":\"u1\",\"status\":\"processing\",\"progress\":1}");
      // a v1 payload (no seq, no timestamp) is still a valid event
      r.publish(channel, "{\"jobId\":\"" + j + "\",\"userId\":\"u1\",\"status\":\"processing\",\"progress\":7}");
    }
    a.publish(ProgressEvent.of(j, "u1", JobStatus.PROCESSING, 8, "s", ""));
    await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 2);
    assertEquals(List.of(7, 8), got.stream().map(ProgressEvent::progress).toList());
    assertEquals(3L, a.stats().get("malformed"));
    assertTrue(a.isReady());
  }

  @Test
  void interestRecordedBeforeStartIsSubscribedOnceConnected() {
    List<ProgressEvent> got = new CopyOnWriteArrayList<>();
    RedisBroadcaster a = new RedisBroadcaster(RedisSettings.builder(redis.url()).build());
    nodes.add(a);
    String j = job("early");
    a.interest(Broadcaster.Scope.JOB, j, true);
    a.start(got::add);
    await().atMost(Duration.ofSeconds(5)).until(a::isReady);
    a.publish(ProgressEvent.queued(j, "u1"));
    await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 1);
  }
}
