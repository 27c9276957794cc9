package io.jobprogress.benchmarks;

import io.jobprogress.core.JobStatus;
import io.jobprogress.core.ProgressEvent;
import io.jobprogress.publisher.JobProgressPublisher;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The worker side of the load benchmark ({@code benchmarks/load}) for jobprogress: publishes through
 * {@link JobProgressPublisher#redis(String)}, driven over stdin by the load generator. Same line protocol as
 * {@code benchmarks/load/publisher.mjs} (the peers' worker):
 *
 * <ul>
 *   <li>start: {@code LoadPublisher <redisUrl> <users> <jobsPerUser>}: publishes {@code queued} for every
 *       job (the demo's default authorizer admits a subscribe only for a job whose stored owner is the
 *       user), prints {@code READY};
 *   <li>{@code GO <publishesPerSecond> <seconds> <tickMs>}: publishes {@code processing} updates round-robin
 *       over the jobs at that rate with {@code publishAsync} (at most 2,000 in flight), every {@code tickMs}
 *       ms the updates due by then (as the peers' worker does: one arrival pattern for every system), waits
 *       for all of them,
 *       prints {@code DONE <published> <replyP99Ms>}: the second figure is the 99th percentile of the time
 *       from creating an update to holding Redis's reply for it (its {@code publishAsync} completing), the
 *       worker's side of the publish -> receive latency;
 *   <li>{@code QUIT} or end of input: closes the publisher and exits.
 * </ul>
 *
 * <p>Every update's message is {@code "b <n> <sendEpochMicros>"} (n counts per job from 1) for latency,
 * loss and duplicate accounting. The main thread reads commands and paces publishing.
 *
 * <p>How it publishes, system property {@code load.publish}:
 * <ul>
 *   <li>{@code async} (default): as above, {@code publishAsync} from the main thread;
 *   <li>{@code sync}: the main thread calls {@code publish} for each update (one round trip each, no
 *       hand-off to the sender thread; it keeps up only while a round trip is shorter than the interval);
 *   <li>{@code threads=N}: N threads, each ticking on its own and calling {@code publish} for its share of
 *       the updates (update i goes to thread i mod N, so with jobs a multiple of N each job stays on one
 *       thread and in order): the shape of a worker whose jobs each publish from their own thread.
 * </ul>
 */
public final class LoadPublisher {
  private LoadPublisher() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: LoadPublisher <redisUrl> <users> <jobsPerUser>");
      System.exit(2);
    }
    int users = Integer.parseInt(args[1]);
    int jobsPerUser = Integer.parseInt(args[2]);
    List<String[]> jobs = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      for (int k = 0; k < jobsPerUser; k++) {
        jobs.add(new String[] {"u" + u + "-j" + k, "user" + u});
      }
    }
    long[] counts = new long[jobs.size()];
    publishThreads(jobs.size()); // a wrong load.publish fails here, before READY
    try (JobProgressPublisher publisher = JobProgressPublisher.redis(args[0])) {
      List<CompletableFuture<ProgressEvent>> queued = new ArrayList<>();
      for (String[] job : jobs) {
        queued.add(publisher.publishAsync(ProgressEvent.queued(job[0], job[1])));
      }
      CompletableFuture.allOf(queued.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      System.out.println("READY");
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line; (line = in.readLine()) != null; ) {
        String[] cmd = line.trim().split("\\s+");
        if (cmd[0].equals("QUIT")) {
          break;
        }
        if (cmd[0].equals("GO")) {
          if (cmd.length != 4 || Long.parseLong(cmd[3]) < 1) {
            System.err.println("LoadPublisher: expected \"GO <publishesPerSecond> <seconds> <tickMs>\", got \"" + line + "\"");
            System.exit(2);
          }
          long[] replyNanos = new long[(int) Math.round(Double.parseDouble(cmd[1]) * Double.parseDouble(cmd[2]))];
          long sent = run(publisher, jobs, counts, Double.parseDouble(cmd[1]), Double.parseDouble(cmd[2]),
              Long.parseLong(cmd[3]), replyNanos);
          System.out.println("DONE " + sent + " " + p99Millis(replyNanos));
        }
      }
    }
  }

  /** The 99th percentile of {@code nanos} in ms (nearest rank), as text. */
  private static String p99Millis(long[] nanos) {
    if (nanos.length == 0) {
      return "NaN";
    }
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return String.format(java.util.Locale.ROOT, "%.3f", sorted[(int) Math.ceil(0.99 * sorted.length) - 1] / 1e6);
  }

  private static long run(JobProgressPublisher publisher, List<String[]> jobs, long[] counts, double rate,
      double seconds, long tickMillis, long[] replyNanos) throws Exception {
    int threads = publishThreads(jobs.size());
    if (threads > 0) {
      return runThreads(publisher, jobs, counts, rate, tickMillis, replyNanos, threads);
    }
    boolean sync = threads == SYNC;
    long total = replyNanos.length;
    Semaphore inFlight = new Semaphore(2000);
    AtomicLong failed = new AtomicLong();
    long start = System.nanoTime();
    long sent = 0;
    int next = 0;
    while (sent < total) {
      long due = Math.min(total, (long) ((System.nanoTime() - start) / 1e9 * rate));
      for (; sent < due; sent++) {
        String[] job = jobs.get(next);
        long n = ++counts[next];
        next = (next + 1) % jobs.size();
        long created = System.nanoTime(); // the worker's side of the latency starts with the message's timestamp
        ProgressEvent event = update(job, n);
        if (sync) {
          try {
            publisher.publish(event);
          } catch (RuntimeException e) {
            failed.incrementAndGet();
          }
          replyNanos[(int) sent] = System.nanoTime() - created;
          continue;
        }
        inFlight.acquire();
        int slot = (int) sent;
        publisher.publishAsync(event).whenComplete((e, t) -> {
          // each slot written once, before the release that the final acquire(2000) waits for
          replyNanos[slot] = System.nanoTime() - created;
          if (t != null) {
            failed.incrementAndGet();
          }
          inFlight.release();
        });
      }
      Thread.sleep(tickMillis);
    }
    inFlight.acquire(2000);
    inFlight.release(2000);
    if (failed.get() > 0) {
      System.err.println("LoadPublisher: " + failed.get() + " publishes failed");
    }
    return sent - failed.get();
  }

  private static final int ASYNC = 0;
  private static final int SYNC = -1;

  /**
   * {@code load.publish} (class comment): {@link #ASYNC}, {@link #SYNC}, or the N of {@code threads=N}.
   *
   * @throws IllegalArgumentException for any other value, or an N that is not a divisor of {@code jobs}
   */
  private static int publishThreads(int jobs) {
    String mode = System.getProperty("load.publish", "async");
    if (mode.equals("async")) {
      return ASYNC;
    }
    if (mode.equals("sync")) {
      return SYNC;
    }
    int n = mode.matches("threads=[1-9][0-9]{0,3}") ? Integer.parseInt(mode.substring("threads=".length())) : 0;
    if (n == 0 || jobs % n != 0) {
      throw new IllegalArgumentException("LoadPublisher: load.publish must be async, sync or threads=N with N "
          + "dividing the " + jobs + " jobs, was \"" + mode + "\"");
    }
    return n;
  }

  /** Update {@code n} of {@code job}, stamped now (its message carries the send time for the generator). */
  private static ProgressEvent update(String[] job, long n) {
    Instant now = Instant.now();
    long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    return ProgressEvent.of(job[0], job[1], JobStatus.PROCESSING, (int) (n % 100), "inference", "b " + n + " " + micros);
  }

  /** {@code load.publish=threads=N}: see the class comment. Each thread owns its jobs' counts. */
  private static long runThreads(JobProgressPublisher publisher, List<String[]> jobs, long[] counts, double rate,
      long tickMillis, long[] replyNanos, int threads) throws Exception {
    long total = replyNanos.length;
    AtomicLong failed = new AtomicLong();
    long start = System.nanoTime();
    List<Thread> running = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      long first = t;
      Thread thread = new Thread(() -> {
        try {
          for (long i = first; i < total; ) {
            long due = Math.min(total, (long) ((System.nanoTime() - start) / 1e9 * rate));
            for (; i < due; i += threads) {
              int idx = (int) (i % jobs.size());
              long created = System.nanoTime();
              try {
                publisher.publish(update(jobs.get(idx), ++counts[idx]));
              } catch (RuntimeException e) {
                failed.incrementAndGet();
              }
              replyNanos[(int) i] = System.nanoTime() - created; // each slot written by its one thread before join
            }
            Thread.sleep(tickMillis);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "load-publisher-" + t);
      thread.start();
      running.add(thread);
    }
    for (Thread thread : running) {
      thread.join();
    }
    if (failed.get() > 0) {
      System.err.println("LoadPublisher: " + failed.get() + " publishes failed");
    }
    return total - failed.get();
  }
}
