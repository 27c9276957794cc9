package io.jobprogress.examples.worker;

import io.jobprogress.publisher.JobProgressPublisher;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.RedisClient;

/**
 * The standalone worker process: {@code REDIS_URL=redis://localhost:6379 java -jar jobprogress-worker.jar}.
 * Takes the demo server's jobs from a Redis list and publishes their progress through Redis, so every
 * server instance delivers it.
 *
 * <p>Environment: {@code REDIS_URL} (required), {@code DEMO_QUEUE} (list key, default
 * {@value RedisJobQueueWorker#DEFAULT_QUEUE}), {@code DEMO_STEP_MS} (pause between steps, default 700),
 * {@code WORKER_THREADS} (jobs at once, default 4), and the redis module's {@code REDIS_KEY_PREFIX} and
 * friends (same values as the servers). Stops cleanly on SIGTERM (running jobs end
 * {@code cancelled}).
 */
public final class WorkerMain {
  private static final Logger log = LoggerFactory.getLogger(WorkerMain.class);

  private WorkerMain() {}

  public static void main(String[] args) throws InterruptedException {
    Map<String, String> env = System.getenv();
    String redisUrl = env.get("REDIS_URL");
    if (redisUrl == null || redisUrl.isBlank()) {
      System.err.println("worker: REDIS_URL is required, e.g. REDIS_URL=redis://localhost:6379");
      System.exit(2);
    }
    String queue = env.getOrDefault("DEMO_QUEUE", RedisJobQueueWorker.DEFAULT_QUEUE);
    long stepMs = Long.parseLong(env.getOrDefault("DEMO_STEP_MS", "700"));
    int threads = Integer.parseInt(env.getOrDefault("WORKER_THREADS", "4"));

    RedisClient redis = RedisClient.create(URI.create(redisUrl));
    JobProgressPublisher publisher = JobProgressPublisher.fromEnvironment();
    RedisJobQueueWorker worker =
        new RedisJobQueueWorker(redis, queue, publisher, new SimulatedJob(stepMs), threads);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("Worker stopping");
      worker.close();
      publisher.close();
      redis.close();
      stopped.countDown();
    }, "worker-shutdown"));
    worker.start();
    System.out.println("jobprogress worker: taking jobs from " + queue + " (step " + stepMs + " ms)");
    stopped.await();
  }
}
