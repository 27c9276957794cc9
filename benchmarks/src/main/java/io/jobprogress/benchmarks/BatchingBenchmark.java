package io.jobprogress.benchmarks;

import io.jobprogress.core.HubSettings;
import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.JobStatus;
import io.jobprogress.core.ProgressEvent;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToDoubleFunction;

/**
 * Frames and bytes a browser receives per progress update with and without opt-in batching (v1.1): the
 * library's WebSocket endpoint in a real embedded Jetty with the in-memory hub, real {@code java.net.http}
 * clients counting on their side (text frames, UTF-8 bytes, updates with batch events unpacked), updates
 * published at a fixed rate for a few seconds (default one), then a {@code completed} per job. Every run also checks that
 * each connection ends at the exact final state (last seq, status completed), with seqs strictly increasing
 * and no update of an idle job. Rounds interleave the configurations; prints every run and a Markdown table
 * of medians.
 *
 * <p>Run: {@code java -cp ... io.jobprogress.benchmarks.BatchingBenchmark [rounds] [seconds]} (default 5
 * rounds, plus one warm-up round that is not counted, of 1 s of publishing per run).
 */
public final class BatchingBenchmark {

  /**
   * A workload: {@code users} x {@code connsPerUser} connections, each subscribed to all jobs of its user
   * ({@code activeJobsPerUser} updated, {@code idleJobsPerUser} completed before); progress updates published
   * round-robin over the active jobs at {@code ratePerSecond} in total.
   */
  record Scenario(String name, int users, int connsPerUser, int activeJobsPerUser, int idleJobsPerUser,
      int ratePerSecond) {}

  /** Plain progress frames ({@code windowMs} 0) or batching with that window. */
  record Mode(String name, long windowMs) {}

  /** What one run measured on the client side. */
  record Result(long published, double publishSeconds, long frames, long bytes, long delivered, boolean ok) {}

  private static final List<Scenario> SCENARIOS = List.of(
      new Scenario("1 conn, 1 job x 1000/s", 1, 1, 1, 2, 1000),
      new Scenario("50 conns (5 users x 10), 10 jobs x 100/s", 5, 10, 2, 1, 1000));
  private static final List<Mode> MODES = List.of(
      new Mode("plain", 0), new Mode("batch 100 ms", 100), new Mode("batch 1 s", 1000));

  private BatchingBenchmark() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    if (rounds < 1 || seconds < 1) {
      throw new IllegalArgumentException("BatchingBenchmark: rounds and seconds must be >= 1, were " + rounds
          + " and " + seconds);
    }
    System.out.printf("%d rounds, %d s of publishing per run%n", rounds, seconds);
    System.out.printf("start %s; JVM %s %s; %d CPUs; load average %s%n", Instant.now(),
        System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
        Runtime.getRuntime().availableProcessors(), loadAverage());
    Map<String, List<Result>> results = new LinkedHashMap<>();
    int runs = 0;
    try (EmbeddedJetty server = EmbeddedJetty.start(HubSettings.defaults())) {
      HttpClient http = HttpClient.newHttpClient();
      for (int round = 0; round <= rounds; round++) {
        for (Scenario s : SCENARIOS) {
          for (Mode m : MODES) {
            Result r = run(server, http, s, m, seconds, "r" + ++runs);
            String config = s.name() + ", " + m.name();
            if (round > 0) {
              results.computeIfAbsent(config, k -> new ArrayList<>()).add(r);
            }
            System.out.printf(Locale.ROOT, "%-9s %-56s published %5d in %.3f s  frames %6d  bytes %9d"
                + "  delivered %6d  final state %s%n", round == 0 ? "warm-up" : "round " + round, config,
                r.published(), r.publishSeconds(), r.frames(), r.bytes(), r.delivered(), r.ok() ? "OK" : "WRONG");
          }
        }
      }
    }
    System.out.printf("end %s; load average %s%n%n", Instant.now(), loadAverage());
    printTable(results);
  }

  private static Result run(EmbeddedJetty server, HttpClient http, Scenario s, Mode m, int seconds, String run) {
    JobProgressHub hub = server.hub();
    Map<String, String> ownerOf = new LinkedHashMap<>();
    Map<String, List<String>> jobsOf = new LinkedHashMap<>();
    Map<String, Long> setupSeq = new HashMap<>();
    List<String> active = new ArrayList<>();
    for (int u = 0; u < s.users(); u++) {
      String user = run + "-u" + u;
      List<String> jobs = new ArrayList<>();
      for (int j = 0; j < s.activeJobsPerUser(); j++) {
        String job = user + "-active-" + j;
        setupSeq.put(job, hub.publishJobUpdate(ProgressEvent.queued(job, user)).seq());
        active.add(job);
        jobs.add(job);
      }
      for (int j = 0; j < s.idleJobsPerUser(); j++) {
        String job = user + "-idle-" + j;
        hub.publishJobUpdate(ProgressEvent.queued(job, user));
        setupSeq.put(job, hub.publishJobUpdate(ProgressEvent.completed(job, user, "Finished earlier")).seq());
        jobs.add(job);
      }
      jobs.forEach(job -> ownerOf.put(job, user));
      jobsOf.put(user, jobs);
    }

    Map<CountingClient, String> clients = new LinkedHashMap<>();
    try {
      for (String user : jobsOf.keySet()) {
        for (int c = 0; c < s.connsPerUser(); c++) {
          clients.put(CountingClient.connect(http, server.wsUri(user)), user);
        }
      }
      // every connection sets up at once: with batching, each subscribe's snapshot waits up to one window
      if (m.windowMs() > 0) {
        String options = "{\"type\":\"options\",\"data\":{\"batch\":true,\"batchWindowMs\":" + m.windowMs() + "}}";
        clients.keySet().forEach(client -> client.send(options));
        clients.keySet().forEach(client -> client.awaitControl("options", 1));
      }
      clients.forEach((client, user) -> jobsOf.get(user).forEach(
          job -> client.send("{\"type\":\"subscribe\",\"data\":{\"jobId\":\"" + job + "\"}}")));
      clients.forEach((client, user) -> {
        client.awaitControl("subscribed", jobsOf.get(user).size());
        jobsOf.get(user).forEach(job -> client.awaitSeq(job, setupSeq.get(job)));
      });
      clients.keySet().forEach(CountingClient::resetCounters);

      int updates = s.ratePerSecond() * seconds;
      int perJob = updates / active.size();
      long periodNanos = 1_000_000_000L / s.ratePerSecond();
      long start = System.nanoTime();
      for (int i = 0; i < updates; i++) {
        long due = start + i * periodNanos;
        for (long left = due - System.nanoTime(); left > 0; left = due - System.nanoTime()) {
          LockSupport.parkNanos(left);
        }
        String job = active.get(i % active.size());
        int n = i / active.size() + 1;
        hub.publishJobUpdate(ProgressEvent.of(job, ownerOf.get(job), JobStatus.PROCESSING, n * 100 / (perJob + 1),
            "processing", "Processing item " + n + " of " + perJob));
      }
      Map<String, Long> terminalSeq = new HashMap<>();
      for (String job : active) {
        terminalSeq.put(job, hub.publishJobUpdate(ProgressEvent.completed(job, ownerOf.get(job), "Done")).seq());
      }
      double publishSeconds = (System.nanoTime() - start) / 1e9;

      boolean ok = true;
      long frames = 0;
      long bytes = 0;
      long delivered = 0;
      for (Map.Entry<CountingClient, String> e : clients.entrySet()) {
        for (String job : jobsOf.get(e.getValue())) {
          Long last = terminalSeq.get(job);
          try {
            if (last != null) {
              e.getKey().awaitSeq(job, last);
            }
          } catch (IllegalStateException timedOut) {
            System.out.println(run + ": " + timedOut.getMessage());
            ok = false; // counted as it stands, reported as WRONG
          }
        }
      }
      for (Map.Entry<CountingClient, String> e : clients.entrySet()) {
        CountingClient client = e.getKey();
        frames += client.frames();
        bytes += client.bytes();
        delivered += client.updates();
        ok &= client.orderViolations() == 0 && client.controlFrames("error") == 0;
        for (String job : jobsOf.get(e.getValue())) {
          CountingClient.JobView v = client.job(job);
          Long last = terminalSeq.get(job);
          ok &= last == null ? v.updates() == 0 // an idle job: nothing more may arrive
              : v.seq() == last && v.status().equals("completed");
        }
      }
      return new Result(updates + active.size(), publishSeconds, frames, bytes, delivered, ok);
    } finally {
      clients.keySet().forEach(CountingClient::close);
    }
  }

  private static void printTable(Map<String, List<Result>> results) {
    System.out.println("| configuration | updates published | frames | bytes | updates delivered"
        + " | frames per published update | bytes per published update | bytes per delivered update"
        + " | final state OK |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    results.forEach((config, rs) -> System.out.printf(Locale.ROOT,
        "| %s | %,.0f | %,.0f | %,.0f | %,.0f | %.3f | %.1f | %.1f | %d/%d |%n", config,
        median(rs, Result::published), median(rs, Result::frames), median(rs, Result::bytes),
        median(rs, Result::delivered), median(rs, r -> (double) r.frames() / r.published()),
        median(rs, r -> (double) r.bytes() / r.published()), median(rs, r -> (double) r.bytes() / r.delivered()),
        rs.stream().filter(Result::ok).count(), rs.size()));
  }

  private static double median(List<Result> rs, ToDoubleFunction<Result> f) {
    double[] xs = rs.stream().mapToDouble(f).sorted().toArray();
    int n = xs.length;
    return n % 2 == 1 ? xs[n / 2] : (xs[n / 2 - 1] + xs[n / 2]) / 2;
  }

  /** The 1, 5 and 15 minute load averages, from /proc/loadavg when there is one. */
  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (Exception e) {
      return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }
}
