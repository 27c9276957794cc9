package io.jobprogress.benchmarks;

import java.util.Locale;
import java.util.SplittableRandom;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A deterministic simulation of the Redis side of a deployment, per subscription mode (PATTERN, INTEREST,
 * cluster sharded): Redis-side messages and bytes per second, CPU, subscriptions, connections and memory
 * for {@code instances} server instances, {@code jobs} concurrently running jobs, {@code rate} updates per
 * job per second, each job watched by {@code watchers} browsers, on {@code shards} cluster masters.
 *
 * <p>What is simulated rather than multiplied: each watcher's connection lands on an instance chosen at
 * random (seed 42; a load balancer without stickiness), so a job costs one delivery per distinct instance
 * watching it; in cluster mode each job lands on the shard owning its channel's hash slot (CRC16 of
 * {@code job:<id>}, the slots split in equal ranges as {@code redis-cli --cluster create} does), so the
 * per-shard figures show the real imbalance. What is calibrated: the per-publish and per-delivery Redis
 * CPU, the per-key and per-subscription memory, measured by {@link ModeTraffic} (constants below, from the
 * run recorded in docs/scaling.md); the envelope size is the one of docs/benchmarks.md.
 *
 * <p>Run: {@code java -cp ... io.jobprogress.benchmarks.ModeTrafficModel [instances] [jobs] [rate] [watchers] [shards]}.
 * Stateless; a plain main.
 */
public final class ModeTrafficModel {
  /**
   * Redis time per publish script with one delivery, microseconds: INTEREST, {@code 4 1000 100}, 18.96 / 21.16
   * / 19.40 us in three runs (2026-11-29, idle 2-vCPU VM; the script before the marks moved into the meta
   * hash: 22.66 / 23.71 us in runs between them).
   */
  static final double SCRIPT_US = 19.4;
  /**
   * Redis time per extra delivery: (PATTERN - INTEREST per script) / 19 extra, {@code 20 1000 20}: (34.54 -
   * 23.69) and (33.19 - 20.90) / 19 = 0.57 and 0.65 us (same runs).
   */
  static final double DELIVERY_US = 0.6;
  /** The progress envelope (docs/benchmarks.md), bytes. */
  static final int ENVELOPE_BYTES = 246;
  /** MEMORY USAGE of a job's history stream at the default 100 entries, snapshot, meta; bytes. */
  static final int HIST_BYTES = 28_500;
  static final int SNAP_BYTES = 296;
  /** The meta hash with one publisher's applied-call mark (120 bytes without it). */
  static final int META_BYTES = 152;
  /** A user's recent-jobs index with one job (one user per job: the worst case). */
  static final int USER_INDEX_BYTES = 104;
  /** used_memory growth per SUBSCRIBEd job channel: 394 and 1,011 measured (the subscribers' buffers included). */
  static final int SUBSCRIPTION_BYTES = 1_000;
  /** CPU budget per Redis process the shard count is sized for (Redis executes commands on one thread). */
  static final double CPU_BUDGET = 0.5;

  private ModeTrafficModel() {}

  public static void main(String[] args) {
    int instances = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int jobs = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    double rate = args.length > 2 ? Double.parseDouble(args[2]) : 1.0;
    int watchers = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    int shards = args.length > 4 ? Integer.parseInt(args[4]) : 3;

    // the simulation: where each job's watchers are, which shard owns it
    SplittableRandom random = new SplittableRandom(42);
    long[] perInstance = new long[instances];
    long[] deliveriesPerShard = new long[shards];
    long[] jobsPerShard = new long[shards];
    long interests = 0;
    for (int j = 0; j < jobs; j++) {
      boolean[] watching = new boolean[instances];
      int distinct = 0;
      for (int w = 0; w < watchers; w++) {
        int i = random.nextInt(instances);
        if (!watching[i]) {
          watching[i] = true;
          distinct++;
          perInstance[i]++;
        }
      }
      interests += distinct;
      int shard = JedisClusterCRC16.getSlot("job:job-" + j) * shards / 16384;
      jobsPerShard[shard]++;
      deliveriesPerShard[shard] += distinct;
    }
    long maxInstanceJobs = java.util.Arrays.stream(perInstance).max().orElse(0);
    long maxShardJobs = java.util.Arrays.stream(jobsPerShard).max().orElse(0);
    long maxShardDeliveries = java.util.Arrays.stream(deliveriesPerShard).max().orElse(0);

    double publishes = jobs * rate;
    long perJobMemory = HIST_BYTES + SNAP_BYTES + META_BYTES + USER_INDEX_BYTES;
    int channelBytes = ("job:job-" + (jobs - 1)).length();

    System.out.printf(Locale.ROOT, "model: %d instances, %,d running jobs, %.2f updates/s per job, %d watcher(s) per job,"
        + " %d cluster shards; %,d (job, instance) interests%n", instances, jobs, rate, watchers, shards, interests);
    System.out.println("| | PATTERN (one Redis) | INTEREST (one Redis) | cluster sharded (" + shards + " masters), busiest shard |");
    System.out.println("|---|---|---|---|");
    double patternMsgs = publishes * instances;
    double interestMsgs = interests * rate;
    double shardMsgs = maxShardDeliveries * rate;
    row("publishes/s (scripts run)", publishes, publishes, maxShardJobs * rate);
    row("messages Redis writes/s", patternMsgs, interestMsgs, shardMsgs);
    rowMb("bytes Redis writes/s (MB/s)", patternMsgs * frame("pmessage", "job:*", channelBytes),
        interestMsgs * frame("message", null, channelBytes), shardMsgs * frame("smessage", null, channelBytes));
    row("messages the busiest instance reads/s", publishes, maxInstanceJobs * rate, maxInstanceJobs * rate);
    double patternCpu = publishes * (SCRIPT_US + DELIVERY_US * (instances - 1)) / 1e6;
    double interestCpu = (publishes * SCRIPT_US + (interests - jobs) * rate * DELIVERY_US) / 1e6;
    double shardCpu = (maxShardJobs * rate * SCRIPT_US + (maxShardDeliveries - maxShardJobs) * rate * DELIVERY_US) / 1e6;
    System.out.printf(Locale.ROOT, "| Redis CPU (cores of one thread; more than 1 cannot be served) | %.2f | %.2f | %.2f |%n",
        patternCpu, interestCpu, shardCpu);
    row("pub/sub subscriptions", instances, interests, maxShardDeliveries);
    row("subscriber connections per Redis master (cluster: one per instance on each master)", instances, instances,
        instances);
    rowMb("memory, job keys (MB)", (double) jobs * perJobMemory, (double) jobs * perJobMemory,
        (double) maxShardJobs * perJobMemory);
    rowMb("memory, subscriptions (MB)", instances * (double) SUBSCRIPTION_BYTES, interests * (double) SUBSCRIPTION_BYTES,
        maxShardDeliveries * (double) SUBSCRIPTION_BYTES);
    int needed = (int) Math.ceil(publishes * SCRIPT_US / 1e6 / CPU_BUDGET * maxShardJobs * shards / jobs);
    System.out.printf(Locale.ROOT, "shards needed to keep the busiest master under %.0f%% of a core: %d"
        + " (per-job memory %,d bytes; slot imbalance: busiest shard %,d jobs, mean %,d; busiest instance"
        + " watches %,d jobs, mean %,d)%n", CPU_BUDGET * 100, Math.max(1, needed), perJobMemory, maxShardJobs,
        jobs / shards, maxInstanceJobs, interests / instances);
  }

  /** RESP bytes of one pub/sub push: kind, [pattern], channel, payload. */
  static int frame(String kind, String pattern, int channelBytes) {
    int parts = pattern == null ? 3 : 4;
    int bytes = 4 + bulk(kind.length()) + bulk(channelBytes) + bulk(ENVELOPE_BYTES);
    return parts == 4 ? bytes + bulk(pattern.length()) : bytes;
  }

  private static int bulk(int length) {
    return 1 + String.valueOf(length).length() + 2 + length + 2;
  }

  private static void row(String what, double pattern, double interest, double shard) {
    System.out.printf(Locale.ROOT, "| %s | %,.0f | %,.0f | %,.0f |%n", what, pattern, interest, shard);
  }

  private static void rowMb(String what, double pattern, double interest, double shard) {
    System.out.printf(Locale.ROOT, "| %s | %,.1f | %,.1f | %,.1f |%n", what, pattern / 1e6, interest / 1e6, shard / 1e6);
  }
}
