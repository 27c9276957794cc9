package io.jobprogress.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.ProgressEvent;
import io.jobprogress.core.TestTokens;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every thread the Redis module starts ends when its owner closes: the subscriber's reader and ops
 * threads with the hub (which closes its broadcaster), the async sender with its publisher. Real redis-server.
 */
class RedisThreadsIT {
  @RegisterExtension
  static final RedisServerProcess redis = RedisServerProcess.perClass();

  @Test
  void closingTheHubEndsTheSubscriberThreadsAndClosingThePublisherEndsItsSender() throws Exception {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    RedisBroadcaster broadcaster = new RedisBroadcaster(RedisSettings.builder(redis.url()).build());
    JobProgressHub hub = JobProgressHub.builder().tokenVerifier(TestTokens.verifier()).broadcaster(broadcaster)
        .build();
    RedisPublisher publisher = new RedisPublisher(RedisSettings.builder(redis.url()).build());
    try {
      await().atMost(Duration.ofSeconds(10)).until(broadcaster::isReady);
      ProgressEvent stored = publisher.publishAsync(ProgressEvent.queued("threads-" + System.nanoTime(), "u"))
          .get(10, TimeUnit.SECONDS);
      assertEquals(1, stored.seq());
      assertEquals(Set.of("jobprogress-redis-sub", "jobprogress-redis-ops", "jobprogress-redis-send"),
          libraryThreadsStartedSince(before));

      hub.close();
      assertEquals(Set.of("jobprogress-redis-send"), libraryThreadsStartedSince(before),
          "the hub's close ended the subscriber's threads (and the hub's own timer thread)");
      publisher.close();
      assertTrue(libraryThreadsStartedSince(before).isEmpty(), () -> "left: " + libraryThreadsStartedSince(before));
    } finally {
      hub.close();
      publisher.close();
    }
  }

  private static Set<String> libraryThreadsStartedSince(Set<Thread> before) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("jobprogress-") && t.isAlive() && !before.contains(t))
        .map(Thread::getName).collect(Collectors.toSet());
  }
}
