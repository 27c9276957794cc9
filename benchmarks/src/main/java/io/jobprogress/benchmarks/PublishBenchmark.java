package io.jobprogress.benchmarks;

import io.jobprogress.core.JobStatus;
import io.jobprogress.core.ProgressEvent;
import io.jobprogress.core.ProgressFrames;
import io.jobprogress.publisher.JobProgressPublisher;
import io.jobprogress.redis.RedisServerProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisClient;

/**
 * Publish throughput of {@link JobProgressPublisher} (Lua script: seq + snapshot + history + PUBLISH)
 * against a raw {@code PUBLISH} of the same payload through a pooled {@link RedisClient}, on one
 * redis-server started here, with one pattern subscriber draining every message (as a server instance
 * would), for 1 and 4 publishing threads. Prints one line per round and the medians.
 *
 * <p>Run: {@code java -cp ... io.jobprogress.benchmarks.PublishBenchmark [rounds] [seconds]}.
 */
public final class PublishBenchmark {

  private PublishBenchmark() {}

  /** What one publishing thread does once. */
  @FunctionalInterface
  private interface Op {
    void publish(int thread, long i);

    /** Waits until everything this op started has finished (counted in the measured time). */
    default void settle() {}
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    long seconds = args.length > 1 ? Long.parseLong(args[1]) : 5;
    try (RedisServerProcess redis = RedisServerProcess.start();
        RedisClient raw = RedisClient.create("127.0.0.1", redis.port());
        JobProgressPublisher publisher = JobProgressPublisher.redis(redis.url())) {
      LongAdder drained = new LongAdder();
      Thread sub = drain(redis, drained);
      String payload = ProgressFrames.progress(ProgressEvent.of("bench-raw", "user-1", JobStatus.PROCESSING, 45,
          "inference", "Running model inference...").withSequence(12345, "a1b2c3d4"))
          .replace("}", ",\"nodeId\":\"0123456789ab\"}");
      System.out.printf("payload %d bytes; %d rounds x %d s per configuration%n", payload.length(), rounds, seconds);
      Op rawOp = (t, i) -> raw.publish("job:bench-raw-" + t, payload);
      Op pubOp = (t, i) -> publisher.publishJobProgress("bench-" + t, "user-1", JobStatus.PROCESSING,
          (int) (i % 100), "inference", "Running model inference...");
      Op asyncOp = new Op() {
        private final CompletableFuture<?>[] last = new CompletableFuture<?>[4];

        @Override
        public void publish(int t, long i) {
          CompletableFuture<ProgressEvent> f = publisher.publishAsync(ProgressEvent.of("bench-async-" + t,
              "user-1", JobStatus.PROCESSING, (int) (i % 100), "inference", "Running model inference..."));
          last[t] = f;
          if ((i & 63) == 63) {
            f.join(); // at most 64 in flight per thread, like a worker that checks its results
          }
        }

        @Override
        public void settle() {
          for (CompletableFuture<?> f : last) {
            if (f != null) {
              f.join();
            }
          }
        }
      };
      Op rawPipelined = new Op() {
        private final Pipeline[] open = new Pipeline[4];

        @Override
        public void publish(int t, long i) {
          if (open[t] == null) {
            open[t] = raw.pipelined();
          }
          open[t].publish("job:bench-raw-" + t, payload);
          if ((i & 63) == 63) {
            open[t].close(); // syncs
            open[t] = null;
          }
        }

        @Override
        public void settle() {
          for (int t = 0; t < open.length; t++) {
            if (open[t] != null) {
              open[t].close();
              open[t] = null;
            }
          }
        }
      };
      for (int threads : new int[] {1, 4}) {
        run("warm-up", rawOp, threads, 2);
        run("warm-up", pubOp, threads, 2);
        run("warm-up", asyncOp, threads, 2);
        run("warm-up", rawPipelined, threads, 2);
        List<Double> r = new ArrayList<>();
        List<Double> p = new ArrayList<>();
        List<Double> a = new ArrayList<>();
        List<Double> rp = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
          r.add(run("raw PUBLISH", rawOp, threads, seconds));
          p.add(run("publish (sync)", pubOp, threads, seconds));
          a.add(run("publishAsync (batched)", asyncOp, threads, seconds));
          rp.add(run("raw PUBLISH pipelined 64", rawPipelined, threads, seconds));
        }
        double mr = median(r);
        double mp = median(p);
        double ma = median(a);
        double mrp = median(rp);
        System.out.printf(Locale.ROOT, "RESULT threads=%d raw=%.0f/s publish=%.0f/s (ratio %.2f)"
            + " publishAsync=%.0f/s (ratio %.2f) rawPipelined=%.0f/s (async/rawPipelined %.2f)%n",
            threads, mr, mp, mp / mr, ma, ma / mr, mrp, ma / mrp);
      }
      System.out.printf("subscriber drained %d messages%n", drained.sum());
      // Server-side cost per call: what the script adds inside Redis, apart from round trips.
      try (Jedis j = redis.jedis()) {
        for (String line : j.info("commandstats").split("\r?\n")) {
          if (line.startsWith("cmdstat_publish:") || line.startsWith("cmdstat_evalsha:")) {
            System.out.println("server " + line);
          }
        }
      }
      sub.interrupt();
    }
  }

  private static Thread drain(RedisServerProcess redis, LongAdder count) throws InterruptedException {
    CountDownLatch ready = new CountDownLatch(1);
    Thread t = new Thread(() -> {
      try (Jedis j = redis.jedis()) {
        j.psubscribe(new JedisPubSub() {
          @Override
          public void onPSubscribe(String pattern, int n) {
            ready.countDown();
          }

          @Override
          public void onPMessage(String pattern, String channel, String message) {
            count.increment();
          }
        }, "job:*");
      } catch (RuntimeException e) {
        // redis stopped at the end
      }
    }, "bench-subscriber");
    t.setDaemon(true);
    t.start();
    ready.await();
    return t;
  }

  private static double run(String name, Op op, int threads, long seconds) throws InterruptedException {
    AtomicLong total = new AtomicLong();
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    List<Thread> workers = new ArrayList<>();
    long start = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Thread w = new Thread(() -> {
        long n = 0;
        while (System.nanoTime() < end) {
          op.publish(thread, n++);
        }
        total.addAndGet(n);
      });
      workers.add(w);
      w.start();
    }
    for (Thread w : workers) {
      w.join();
    }
    op.settle();
    double perSecond = total.get() / ((System.nanoTime() - start) / 1e9);
    if (!name.equals("warm-up")) {
      System.out.printf(Locale.ROOT, "  threads=%d %-22s %10.0f/s%n", threads, name, perSecond);
    }
    return perSecond;
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(null);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }
}
