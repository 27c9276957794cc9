package io.jobprogress.examples.worker;

import io.jobprogress.publisher.JobProgressPublisher;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Takes jobs from a Redis list (the demo server RPUSHes {@link JobRequest} JSON; this BLPOPs with a
 * one-second timeout) and runs each as a {@link SimulatedJob} on a small pool, publishing progress with
 * the given publisher.
 *
 * <p>Lifecycle: {@link #start()} starts the polling thread; {@link #close()} stops taking jobs, interrupts
 * running ones (they end {@code cancelled}) and waits up to five seconds. A malformed queue entry is
 * logged and skipped; a Redis outage is logged and retried after a pause. Thread-safe.
 */
public final class RedisJobQueueWorker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RedisJobQueueWorker.class);
  /** The list the demo server pushes onto by default. */
  public static final String DEFAULT_QUEUE = "jobprogress:demo:jobs";

  private final UnifiedJedis redis;
  private final String queue;
  private final JobProgressPublisher publisher;
  private final SimulatedJob simulation;
  private final ExecutorService jobs;
  private final Thread poller;
  private final AtomicInteger taken = new AtomicInteger();
  private volatile boolean running = true;

  /**
   * @param redis where the queue lives (used only for BLPOP)
   * @param queue the list key
   * @param publisher how progress is published (the Redis publisher in production)
   * @param simulation the job to run
   * @param threads jobs run concurrently, at least 1
   */
  public RedisJobQueueWorker(UnifiedJedis redis, String queue, JobProgressPublisher publisher,
      SimulatedJob simulation, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, was " + threads);
    }
    this.redis = redis;
    this.queue = queue;
    this.publisher = publisher;
    this.simulation = simulation;
    AtomicInteger n = new AtomicInteger();
    this.jobs = Executors.newFixedThreadPool(threads, r -> new Thread(r, "worker-job-" + n.incrementAndGet()));
    this.poller = new Thread(this::pollLoop, "worker-queue-poller");
  }

  /** Starts taking jobs. */
  public void start() {
    poller.start();
    log.info("Worker taking jobs from Redis list {}", queue);
  }

  /** How many jobs this worker took so far. */
  public int jobsTaken() {
    return taken.get();
  }

  private void pollLoop() {
    while (running) {
      List<String> popped;
      try {
        popped = redis.blpop(1, queue);
      } catch (JedisException e) {
        if (!running) {
          return;
        }
        log.warn("Redis BLPOP on {} failed, retrying in 1 s: {}", queue, e.getMessage());
        sleepQuietly();
        continue;
      }
      if (popped == null || popped.size() < 2) {
        continue;
      }
      JobRequest request;
      try {
        request = JobRequest.fromJson(popped.get(1));
      } catch (RuntimeException e) {
        log.warn("Skipping a malformed entry of {}: {}", queue, e.getMessage());
        continue;
      }
      taken.incrementAndGet();
      log.info("Took job {} of user {}", request.jobId(), request.userId());
      jobs.execute(() -> runJob(request));
    }
  }

  private void runJob(JobRequest request) {
    try {
      simulation.run(publisher, request);
    } catch (RuntimeException e) {
      // run() handles publish failures itself; this is the last guard so no job thread dies
      log.error("Job {} stopped unexpectedly: {}", request.jobId(), e.toString());
    }
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops taking jobs, cancels running ones and waits for them briefly. Idempotent. */
  @Override
  public void close() {
    running = false;
    jobs.shutdownNow();
    try {
      poller.join(3000);
      jobs.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
