package io.jobprogress.benchmarks;

import io.jobprogress.core.Broadcaster;
import io.jobprogress.core.JobStatus;
import io.jobprogress.core.ProgressEvent;
import io.jobprogress.redis.RedisBroadcaster;
import io.jobprogress.redis.RedisServerProcess;
import io.jobprogress.redis.RedisSettings;
import io.jobprogress.redis.RedisSnapshotStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import redis.clients.jedis.Jedis;

/**
 * Measures what each subscription mode costs: messages received per instance, and Redis's time per
 * publish, for one workload: {@code instances} server instances, {@code jobs} running jobs each watched
 * by one browser on one instance (round robin), {@code events} updates per job. It also prints the
 * calibration {@link ModeTrafficModel} uses: Redis memory per job interest ({@code used_memory} before
 * and after the instances subscribe, over the number of jobs) and {@code MEMORY USAGE} of each key one job and
 * one user leave behind.
 *
 * <p>Run: {@code java -cp ... io.jobprogress.benchmarks.ModeTraffic [instances] [jobs] [events]}.
 */
public final class ModeTraffic {

  private ModeTraffic() {}

  public static void main(String[] args) throws Exception {
    int instances = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    int jobs = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int events = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    System.out.printf("workload: %d instances, %d jobs each watched on one instance, %d events per job%n",
        instances, jobs, events);
    for (RedisSettings.Mode mode : RedisSettings.Mode.values()) {
      try (RedisServerProcess redis = RedisServerProcess.start()) {
        measure(redis, mode, instances, jobs, events);
      }
    }
  }

  private static void measure(RedisServerProcess redis, RedisSettings.Mode mode, int instances, int jobs,
      int events) throws InterruptedException {
    List<RedisBroadcaster> nodes = new ArrayList<>();
    for (int n = 0; n < instances; n++) {
      RedisBroadcaster b = new RedisBroadcaster(RedisSettings.builder(redis.url()).mode(mode).build());
      b.start(e -> { });
      nodes.add(b);
    }
    waitUntil(() -> nodes.stream().allMatch(RedisBroadcaster::isReady));
    long unsubscribedMemory;
    try (Jedis j = redis.jedis()) {
      unsubscribedMemory = usedMemory(j);
    }
    for (int j = 0; j < jobs; j++) {
      nodes.get(j % instances).interest(Broadcaster.Scope.JOB, "job-" + j, true);
    }
    waitUntil(() -> nodes.stream().allMatch(RedisBroadcaster::isReady));
    long subscribedMemory;
    try (Jedis j = redis.jedis()) {
      subscribedMemory = usedMemory(j);
      j.configResetStat();
    }
    long total = (long) jobs * events;
    try (RedisSnapshotStore worker = new RedisSnapshotStore(RedisSettings.builder(redis.url()).build())) {
      for (int e = 0; e < events; e++) {
        for (int j = 0; j < jobs; j++) {
          worker.append(ProgressEvent.of("job-" + j, "user-" + j, JobStatus.PROCESSING, e, "s", ""));
        }
      }
    }
    long expected = mode == RedisSettings.Mode.PATTERN ? total * instances : total;
    waitUntil(() -> nodes.stream().mapToLong(ModeTraffic::received).sum() >= expected);
    StringBuilder per = new StringBuilder();
    for (RedisBroadcaster b : nodes) {
      per.append(' ').append(received(b));
    }
    String usec;
    try (Jedis j = redis.jedis()) {
      usec = j.info("commandstats").lines().filter(l -> l.startsWith("cmdstat_evalsha:")).findFirst().orElse("");
    }
    System.out.printf(Locale.ROOT, "RESULT mode=%s published=%d received per instance:%s (total %d, %.2f per event)%n",
        mode, total, per, nodes.stream().mapToLong(ModeTraffic::received).sum(),
        nodes.stream().mapToLong(ModeTraffic::received).sum() / (double) total);
    System.out.println("  server " + usec);
    try (Jedis j = redis.jedis()) {
      System.out.printf(Locale.ROOT, "  pubsub: used_memory %d bytes before the %d job interests, %d after"
          + " (%.0f bytes per interest)%n", unsubscribedMemory, jobs, subscribedMemory,
          (subscribedMemory - unsubscribedMemory) / (double) jobs);
      for (String pattern : List.of("*{job:job-0}*", "*{user:user-0}*")) {
        for (String key : new java.util.TreeSet<>(j.keys(pattern))) {
          System.out.printf(Locale.ROOT, "  key %s type=%s memory_usage=%d%n", key, j.type(key), j.memoryUsage(key));
        }
      }
    }
  }

  /** Closes the instances (their subscriptions go) and answers Redis's used_memory once they are gone. */
  private static long afterClose(List<RedisBroadcaster> nodes, Jedis j) throws InterruptedException {
    nodes.forEach(RedisBroadcaster::close);
    waitUntil(() -> j.pubsubNumSub("job:job-0").getOrDefault("job:job-0", 0L) == 0 && j.pubsubNumPat() == 0);
    return usedMemory(j);
  }

  private static long usedMemory(Jedis j) {
    return j.info("memory").lines().filter(l -> l.startsWith("used_memory:")).mapToLong(l -> Long.parseLong(l.substring(12).trim()))
        .findFirst().orElseThrow();
  }

  private static long received(RedisBroadcaster b) {
    return (Long) b.stats().get("received");
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out");
      }
      Thread.sleep(20);
    }
  }
}
