package io.jobprogress.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobprogress.core.Broadcaster;
import io.jobprogress.core.JobStatus;
import io.jobprogress.core.ProgressEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/** Concurrent publishers to one job: one seq order everywhere, and the script survives SCRIPT FLUSH. */
class RedisAtomicityIT {
  private static final int THREADS = 8;
  private static final int EACH = 150;
  @RegisterExtension
  static final RedisServerProcess redis = RedisServerProcess.perClass();

  @Test
  void eightThreadsPublishingOneJobGiveStrictlyIncreasingSeqsAndTheSnapshotHoldsTheHighest() throws Exception {
    String job = "atomic-" + System.nanoTime();
    List<ProgressEvent> got = new CopyOnWriteArrayList<>();
    RedisSettings settings = RedisSettings.builder(redis.url()).build();
    try (RedisBroadcaster listener = new RedisBroadcaster(settings);
        RedisSnapshotStore publisher = new RedisSnapshotStore(RedisSettings.builder(redis.url()).build())) {
      listener.start(got::add);
      listener.interest(Broadcaster.Scope.JOB, job, true);
      await().atMost(Duration.ofSeconds(5)).until(listener::isReady);
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      CountDownLatch go = new CountDownLatch(1);
      // every thread publishes half, waits for the flush, then the rest: the flush is always mid-run
      CountDownLatch halfway = new CountDownLatch(THREADS);
      CountDownLatch flushed = new CountDownLatch(1);
      Future<?>[] futures = new Future<?>[THREADS];
      for (int t = 0; t < THREADS; t++) {
        futures[t] = pool.submit(() -> {
          go.await();
          for (int i = 0; i < EACH; i++) {
            if (i == EACH / 2) {
              halfway.countDown();
              flushed.await();
            }
            publisher.append(ProgressEvent.of(job, "u1", JobStatus.PROCESSING, i % 100, "p", ""));
          }
          return null;
        });
      }
      go.countDown();
      assertTrue(halfway.await(30, TimeUnit.SECONDS), "publishers reached half way");
      long loadsBeforeFlush = publisher.scriptLoads();
      try (Jedis admin = redis.jedis()) {
        assertEquals("OK", admin.scriptFlush());
      }
      flushed.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
      pool.shutdown();
      await().atMost(Duration.ofSeconds(30)).until(() -> got.size() == THREADS * EACH);
      for (int i = 1; i < got.size(); i++) {
        assertTrue(got.get(i).seq() > got.get(i - 1).seq(), "seq " + got.get(i).seq() + " after " + got.get(i - 1).seq());
        assertEquals(got.get(0).epoch(), got.get(i).epoch());
      }
      assertEquals(THREADS * EACH, got.get(got.size() - 1).seq());
      assertEquals(THREADS * EACH, publisher.latest(job).orElseThrow().seq());
      // the flush forced at least one reload (whether or not an earlier test had loaded the script already)
      assertTrue(publisher.scriptLoads() > loadsBeforeFlush,
          "script loads " + publisher.scriptLoads() + ", before the flush " + loadsBeforeFlush);
      int kept = publisher.history(job, 0).size();
      assertTrue(kept >= 100 && kept < THREADS * EACH, "history is capped near MAXLEN ~100, kept " + kept);
    }
  }

  @Test
  void asyncAppendsKeepEachCallersOrderAcrossPipelinedBatchesAndAScriptFlush() throws Exception {
    String job = "async-" + System.nanoTime();
    int threads = 4;
    int each = 400;
    try (RedisSnapshotStore store = new RedisSnapshotStore(RedisSettings.builder(redis.url()).build())) {
      List<List<CompletableFuture<ProgressEvent>>> perThread = new ArrayList<>();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        List<CompletableFuture<ProgressEvent>> mine = new CopyOnWriteArrayList<>();
        perThread.add(mine);
        done.add(pool.submit(() -> {
          for (int i = 0; i < each; i++) {
            mine.add(store.appendAsync(ProgressEvent.of(job, "u1", JobStatus.PROCESSING, i % 100, "p", "")));
            if (i == each / 2) {
              try (Jedis admin = redis.jedis()) {
                admin.scriptFlush();
              }
            }
          }
        }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
      pool.shutdown();
      for (List<CompletableFuture<ProgressEvent>> mine : perThread) {
        long previous = 0;
        for (CompletableFuture<ProgressEvent> f : mine) {
          long seq = f.get(30, TimeUnit.SECONDS).seq();
          assertTrue(seq > previous, "seq " + seq + " after " + previous);
          previous = seq;
        }
      }
      assertEquals(threads * each, store.latest(job).orElseThrow().seq());
    }
  }
}
