package io.jobprogress.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jobprogress.core.JobStatus;
import io.jobprogress.core.ProgressEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/**
 * The user index's cap and expiry trimming ({@code PublishScript}'s user index step, which trims only when a
 * job joins the index), checked on a real Redis through {@link RedisSnapshotStore}: shared by the
 * single-node and the cluster contract tests, so both the publish script and cluster mode's second script
 * are covered.
 */
final class UserIndexChecks {
  private UserIndexChecks() {}

  private static String id(String name) {
    return name + "-" + System.nanoTime();
  }

  private static void append(RedisSnapshotStore s, String job, String user, Instant at) {
    s.append(new ProgressEvent(job, user, JobStatus.PROCESSING, 10, "p", "", at, 0, null));
  }

  private static List<String> recent(RedisSnapshotStore s, String user) {
    return s.recentJobsOf(user, Instant.EPOCH, 100).stream().map(ProgressEvent::jobId).toList();
  }

  /** With a cap of 3, a fourth and fifth job push out the oldest; an update reorders without growing it. */
  static void indexStaysCappedDroppingTheOldest(RedisSettings.Builder settings) {
    RedisSettings rs = settings.userJobsMax(3).build();
    RedisPublisher publisher = new RedisPublisher(rs);
    try (RedisSnapshotStore s = new RedisSnapshotStore(publisher, true)) {
      UnifiedJedis redis = publisher.client();
      String user = id("capped-user");
      String index = new RedisKeys(rs.keyPrefix()).userJobs(user);
      Instant base = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
      String[] jobs = new String[6];
      for (int i = 0; i < 5; i++) {
        jobs[i] = id("capped-" + i);
        append(s, jobs[i], user, base.plusSeconds(i));
      }
      assertEquals(List.of(jobs[2], jobs[3], jobs[4]), redis.zrange(index, 0, -1), "the two oldest were dropped");
      assertEquals(List.of(jobs[4], jobs[3], jobs[2]), recent(s, user));
      // an update of the oldest kept job makes it the newest; nothing joins, nothing is dropped
      append(s, jobs[2], user, base.plusSeconds(10));
      assertEquals(List.of(jobs[3], jobs[4], jobs[2]), redis.zrange(index, 0, -1));
      // a new job drops the now oldest
      jobs[5] = id("capped-5");
      append(s, jobs[5], user, base.plusSeconds(11));
      assertEquals(List.of(jobs[4], jobs[2], jobs[5]), redis.zrange(index, 0, -1));
      assertEquals(List.of(jobs[5], jobs[2], jobs[4]), recent(s, user));
    }
  }

  /**
   * A job last updated longer ago than the TTL, whose keys have expired: its index entry survives an update
   * of another indexed job (only a joining job trims), recentJobsOf skips it, and the next job to join
   * removes it.
   */
  static void expiredEntryIsSkippedAndTrimmedWhenAJobJoins(RedisSettings.Builder settings) {
    RedisSettings rs = settings.snapshotTtl(Duration.ofSeconds(60)).build();
    RedisKeys keys = new RedisKeys(rs.keyPrefix());
    RedisPublisher publisher = new RedisPublisher(rs);
    try (RedisSnapshotStore s = new RedisSnapshotStore(publisher, true)) {
      UnifiedJedis redis = publisher.client();
      String user = id("expiry-user");
      String index = keys.userJobs(user);
      Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      String live = id("expiry-live");
      String gone = id("expiry-gone");
      append(s, live, user, now.minusSeconds(30));
      append(s, gone, user, now.minusSeconds(600));
      // gone's last update was 10 min ago with a 60 s TTL: its keys expire (here at once, by hand)
      for (String key : List.of(keys.snapshot(gone), keys.history(gone), keys.meta(gone))) {
        redis.pexpire(key, 1);
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> s.latest(gone).isEmpty());

      append(s, live, user, now.minusSeconds(1));
      assertNotNull(redis.zscore(index, gone), "an update of an indexed job does not trim");
      assertEquals(List.of(live), recent(s, user), "recentJobsOf skips the entry whose snapshot expired");

      String fresh = id("expiry-fresh");
      append(s, fresh, user, now);
      assertNull(redis.zscore(index, gone), "a joining job trims the entries older than the TTL");
      assertEquals(List.of(fresh, live), recent(s, user));
      assertEquals(2, redis.zcard(index));
    }
  }
}
