package io.jobprogress.examples.demo;

import io.jobprogress.core.JobStatus;
import io.jobprogress.core.ProgressEvent;
import io.jobprogress.publisher.JobProgressPublisher;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker side of the convergence test, in the test JVM: a seeded plan of jobs per user (20-40 updates
 * each: queued, processing with rising progress, then completed or, for about one job in five, failed)
 * published through a {@link JobProgressPublisher}, one thread per user interleaving its jobs with small
 * random pauses.
 *
 * <p>A non-persistent Redis restarted empty forgets every job, so terminal updates wait for
 * {@link #openTerminalGate()} (called once Redis is back): every job's final state is published into the
 * Redis the clients end with. A publish that throws is recorded in {@link #failures} and retried every
 * 100 ms for up to 30 s, so the server side can still be judged while the publisher cannot ride out an
 * outage by itself; the test asserts that list is empty.
 *
 * <p>Lifecycle: {@link #plan}, {@link #publishQueued()}, {@link #start()}, {@link #close()}.
 * {@link #terminal}, {@link #failures} and {@link #published} are safe to read from any thread.
 */
final class ConvergenceWorker implements AutoCloseable {
  final Map<String, ProgressEvent> terminal = new ConcurrentHashMap<>();
  final List<String> failures = new CopyOnWriteArrayList<>();
  final AtomicInteger published = new AtomicInteger();
  /** Job ids per user id, in plan order. */
  final Map<String, List<String>> jobsByUser;
  /** All updates planned, queued and terminal included. */
  final int total;
  private final JobProgressPublisher publisher;
  private final long seed;
  private final Map<String, Deque<ProgressEvent>> steps;
  private final CountDownLatch terminalGate = new CountDownLatch(1);
  private final ExecutorService pool;

  private ConvergenceWorker(JobProgressPublisher publisher, long seed, Map<String, List<String>> jobsByUser,
      Map<String, Deque<ProgressEvent>> steps) {
    this.publisher = publisher;
    this.seed = seed;
    this.jobsByUser = jobsByUser;
    this.steps = steps;
    this.total = steps.values().stream().mapToInt(Deque::size).sum();
    this.pool = Executors.newFixedThreadPool(jobsByUser.size(), r -> {
      Thread t = new Thread(r, "convergence-worker");
      t.setDaemon(true);
      return t;
    });
  }

  /** Plans {@code users} x {@code jobsPerUser} jobs from {@code seed}; user ids are {@code conv-u<i>}. */
  static ConvergenceWorker plan(JobProgressPublisher publisher, long seed, int users, int jobsPerUser) {
    Random r = new Random(seed);
    Map<String, List<String>> jobsByUser = new LinkedHashMap<>();
    Map<String, Deque<ProgressEvent>> steps = new LinkedHashMap<>();
    for (int u = 1; u <= users; u++) {
      String user = "conv-u" + u;
      List<String> jobs = new ArrayList<>();
      for (int k = 1; k <= jobsPerUser; k++) {
        String job = "conv-" + Long.toHexString(seed) + "-u" + u + "-j" + k;
        jobs.add(job);
        steps.put(job, steps(job, user, 20 + r.nextInt(21), r.nextInt(5) == 0));
      }
      jobsByUser.put(user, List.copyOf(jobs));
    }
    return new ConvergenceWorker(publisher, seed, jobsByUser, steps);
  }

  private static Deque<ProgressEvent> steps(String job, String user, int count, boolean fails) {
    Deque<ProgressEvent> s = new ArrayDeque<>();
    s.add(ProgressEvent.queued(job, user));
    int last = 0;
    for (int i = 1; i < count - 1; i++) {
      last = Math.min(99, i * 100 / (count - 1));
      s.add(ProgressEvent.of(job, user, JobStatus.PROCESSING, last, "step-" + i, "step " + i + " of " + count));
    }
    s.add(fails ? ProgressEvent.failed(job, user, last, "simulated failure")
        : ProgressEvent.completed(job, user, "done"));
    return s;
  }

  /** Publishes every job's queued update, so clients may subscribe (the default owner check needs it). */
  void publishQueued() {
    for (Deque<ProgressEvent> s : steps.values()) {
      publish(s.removeFirst());
    }
  }

  /** Runs the rest of every plan, one thread per user; the future completes when all are published. */
  CompletableFuture<Void> start() {
    List<CompletableFuture<Void>> runs = new ArrayList<>();
    int u = 0;
    for (List<String> jobs : jobsByUser.values()) {
      Random r = new Random(seed * 31 + ++u);
      runs.add(CompletableFuture.runAsync(() -> runUser(jobs, r), pool));
    }
    return CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new));
  }

  /** Lets terminal updates through (Redis is back and will keep them). */
  void openTerminalGate() {
    terminalGate.countDown();
  }

  private void runUser(List<String> jobs, Random r) {
    try {
      while (true) {
        List<Deque<ProgressEvent>> ready = new ArrayList<>();
        boolean left = false;
        for (String j : jobs) {
          Deque<ProgressEvent> s = steps.get(j);
          left |= !s.isEmpty();
          if (!s.isEmpty() && (!s.peekFirst().isTerminal() || terminalGate.getCount() == 0)) {
            ready.add(s);
          }
        }
        if (!left) {
          return;
        }
        if (ready.isEmpty()) {
          terminalGate.await(60, TimeUnit.SECONDS);
          continue;
        }
        publish(ready.get(r.nextInt(ready.size())).removeFirst());
        Thread.sleep(20 + r.nextInt(100)); // the simulated work between two updates
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * One publish, no retry here: riding out the Redis restart is the publisher's job (its retry window), so
   * a call that throws is recorded as a failure and ends this user's plan.
   */
  private void publish(ProgressEvent e) {
    try {
      ProgressEvent stored = publisher.publish(e);
      published.incrementAndGet();
      if (stored.isTerminal()) {
        terminal.put(stored.jobId(), stored);
      }
    } catch (RuntimeException ex) {
      failures.add(e.jobId() + " " + e.status().wireName() + " " + e.progress() + "%: " + ex);
      throw new IllegalStateException("convergence worker: publish of " + e.jobId() + " failed", ex);
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
    publisher.close();
  }
}
