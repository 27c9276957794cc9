package io.jobprogress.examples.demo;

import io.jobprogress.examples.worker.JobRequest;
import io.jobprogress.examples.worker.SimulatedJob;
import io.jobprogress.publisher.JobProgressPublisher;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * Hands an accepted job to whoever runs it: a thread pool in this process ({@link #inline}) or a Redis list
 * that {@code examples/worker} takes from ({@link #redisList}). {@link #submit} never waits for the job.
 * Implementations are thread-safe; {@link #close()} cancels inline jobs (they end {@code cancelled}).
 */
public interface JobQueue extends AutoCloseable {

  /** Queues the job; its {@code queued} state is already published. */
  void submit(JobRequest request);

  @Override
  void close();

  /** Runs jobs on up to 16 threads of this process, publishing with {@code publisher}. */
  static JobQueue inline(JobProgressPublisher publisher, SimulatedJob simulation) {
    AtomicInteger n = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(16, r -> {
      Thread t = new Thread(r, "demo-job-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    return new JobQueue() {
      @Override
      public void submit(JobRequest request) {
        pool.execute(() -> {
          try {
            simulation.run(publisher, request);
          } catch (RuntimeException e) {
            // run() handles publish failures itself; this is the last guard so no job thread dies
            LoggerFactory.getLogger(JobQueue.class)
                .error("Job {} stopped unexpectedly: {}", request.jobId(), e.toString());
          }
        });
      }

      @Override
      public void close() {
        pool.shutdownNow();
        try {
          pool.awaitTermination(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
  }

  /** RPUSHes each job as JSON onto the list {@code key}; a worker BLPOPs it. */
  static JobQueue redisList(UnifiedJedis redis, String key) {
    return new JobQueue() {
      @Override
      public void submit(JobRequest request) {
        redis.rpush(key, request.toJson());
      }

      @Override
      public void close() {
        // the Redis client belongs to the backend
      }
    };
  }
}
