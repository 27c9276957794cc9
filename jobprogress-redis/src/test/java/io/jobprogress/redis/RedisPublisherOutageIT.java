package io.jobprogress.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobprogress.core.JobStatus;
import io.jobprogress.core.ProgressEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The publisher rides out Redis outages: a kill and restart, a five-second SIGSTOP, an outage longer than
 * the retry window, and a full async buffer. Each test runs its own redis-server.
 */
class RedisPublisherOutageIT {
  private final List<Throwable> escaped = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
  private Thread.UncaughtExceptionHandler previous;
  private RedisServerProcess redis;
  private final List<AutoCloseable> closing = new ArrayList<>();

  @BeforeEach
  void start() {
    previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> escaped.add(e));
    redis = RedisServerProcess.start();
  }

  @AfterEach
  void stop() throws Exception {
    // let a restart or resume the test scheduled run to its end: the test can finish while a restart is
    // still waiting for the new redis-server's PING (the publisher got through first), and interrupting it
    // then stops that server, so the resume below signalled a dead pid ("kill -CONT failed with 1")
    later.shutdown();
    assertTrue(later.awaitTermination(30, TimeUnit.SECONDS), "the scheduled restart or resume finished");
    for (AutoCloseable c : closing) {
      c.close();
    }
    redis.resume();
    redis.close();
    Thread.setDefaultUncaughtExceptionHandler(previous);
    assertEquals(List.of(), escaped, "nothing escaped a thread");
  }

  private RedisPublisher publisher(Duration window, int bufferMax) {
    RedisPublisher p = new RedisPublisher(RedisSettings.builder(redis.url()).timeout(Duration.ofSeconds(1))
        .publishRetryWindow(window).publishBufferMax(bufferMax).build());
    closing.add(p);
    return p;
  }

  private RedisSnapshotStore reader() {
    RedisSnapshotStore s = new RedisSnapshotStore(RedisSettings.builder(redis.url()).build());
    closing.add(s);
    return s;
  }

  private static ProgressEvent step(String job, int progress) {
    return ProgressEvent.of(job, "u1", JobStatus.PROCESSING, progress, "s", "step " + progress);
  }

  @Test
  void everyPublishReturnsNormallyAcrossARedisKillAndRestartAfterOneSecond() {
    RedisPublisher p = publisher(Duration.ofSeconds(20), 100);
    String job = "kill-" + System.nanoTime();
    p.publish(ProgressEvent.queued(job, "u1"));

    redis.kill();
    later.schedule(redis::restart, 1, TimeUnit.SECONDS);
    List<ProgressEvent> stored = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      stored.add(p.publish(step(job, i * 15)));
    }
    stored.add(p.publish(ProgressEvent.completed(job, "u1", "done")));

    // the restarted Redis is empty: the job starts a new epoch, and its seqs climb in it without a gap
    ProgressEvent last = stored.get(stored.size() - 1);
    assertEquals(last, reader().latest(job).orElseThrow());
    List<ProgressEvent> inLastEpoch = stored.stream().filter(e -> e.epoch().equals(last.epoch())).toList();
    for (int i = 0; i < inLastEpoch.size(); i++) {
      assertEquals(i + 1, inLastEpoch.get(i).seq());
    }
    assertEquals(inLastEpoch.size(), reader().history(job, 0).size(), "each event stored once");
    assertTrue(p.retries() > 0, "the publisher retried");
    assertEquals(0, p.lost());
  }

  @Test
  void everyPublishReturnsNormallyAcrossAFiveSecondSigstopAndEachEventIsStoredOnce() {
    RedisPublisher p = publisher(Duration.ofSeconds(20), 100);
    String job = "stop-" + System.nanoTime();
    p.publish(ProgressEvent.queued(job, "u1"));

    redis.pause();
    later.schedule(redis::resume, 5, TimeUnit.SECONDS);
    // the first try times out after 1 s but stays in Redis' socket buffer, and runs once Redis resumes:
    // the retries carry the same event id, so the event is applied once
    List<ProgressEvent> stored = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      stored.add(p.publish(step(job, i * 30)));
    }
    stored.add(p.publish(ProgressEvent.completed(job, "u1", "done")));

    assertEquals(List.of(2L, 3L, 4L, 5L), stored.stream().map(ProgressEvent::seq).toList());
    assertEquals(stored.get(3), reader().latest(job).orElseThrow());
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), reader().history(job, 0).stream().map(ProgressEvent::seq).toList());
  }

  @Test
  void redisAwayLongerThanTheWindowGivesOneClearErrorAndTheNextPublishAfterItsReturnSucceeds() {
    RedisPublisher p = publisher(Duration.ofSeconds(2), 100);
    String job = "away-" + System.nanoTime();
    p.publish(ProgressEvent.queued(job, "u1"));

    redis.kill();
    RedisException lost = assertThrows(RedisException.class, () -> p.publish(step(job, 50)));
    assertTrue(lost.getMessage().startsWith("redis: publish of job " + job + " failed after "), lost.getMessage());
    assertTrue(lost.getMessage().contains("seq unknown, lost: processing 50%"), lost.getMessage());
    CompletableFuture<ProgressEvent> lostAsync = p.publishAsync(step(job, 60));
    ExecutionException async = assertThrows(ExecutionException.class, () -> lostAsync.get(30, TimeUnit.SECONDS));
    assertInstanceOf(RedisException.class, async.getCause());
    assertTrue(async.getCause().getMessage().contains("lost: processing 60%"), async.getCause().getMessage());

    redis.restart();
    ProgressEvent done = p.publish(ProgressEvent.completed(job, "u1", "done"));
    assertEquals(done, reader().latest(job).orElseThrow());
    assertEquals(JobStatus.PROCESSING, p.publishAsync(step("next-" + job, 10)).join().status());
    assertEquals(2, p.lost(), "the two updates given up, and nothing else");
  }

  @Test
  void asyncPublishesRideOutARestartInCallOrder() throws Exception {
    RedisPublisher p = publisher(Duration.ofSeconds(20), 100);
    String job = "async-" + System.nanoTime();
    redis.kill();
    List<CompletableFuture<ProgressEvent>> futures = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      futures.add(p.publishAsync(step(job, i * 4)));
    }
    futures.add(p.publishAsync(ProgressEvent.completed(job, "u1", "done")));
    redis.restart();
    for (int i = 0; i < futures.size(); i++) {
      assertEquals(i + 1, futures.get(i).get(30, TimeUnit.SECONDS).seq());
    }
    assertEquals(JobStatus.COMPLETED, reader().latest(job).orElseThrow().status());
  }

  @Test
  void anAsyncBatchWhoseFirstTriesRanDuringASigstopIsStoredOnceAndInCallOrder() throws Exception {
    // two jobs, MarkStream.SLOTS updates each, queued while the test holds the queue's lock, so the sender
    // takes them as one batch with every slot of both jobs in use. Its first try and each retry on a fresh
    // connection time out while Redis is stopped and wait in Redis's socket buffers; once it resumes Redis
    // runs every copy: the first applies, the rest find their marks
    RedisPublisher p = publisher(Duration.ofSeconds(20), 100);
    List<String> jobs = List.of("sigstop-a-" + System.nanoTime(), "sigstop-b-" + System.nanoTime());
    int n = 2 * MarkStream.SLOTS;
    assertTrue(n <= AsyncPublishQueue.SHALLOW_BATCH, "one batch takes them all");
    p.publishAsync(step("sigstop-first-" + System.nanoTime(), 1)).get(30, TimeUnit.SECONDS); // the sender runs
    redis.pause();
    later.schedule(redis::resume, 4, TimeUnit.SECONDS);
    List<CompletableFuture<ProgressEvent>> futures = new ArrayList<>();
    synchronized (p.asyncQueue()) {
      for (int i = 0; i < n; i++) {
        futures.add(p.publishAsync(step(jobs.get(i % 2), i + 1)));
      }
    }
    for (int i = 0; i < n; i++) {
      assertEquals(i / 2 + 1, futures.get(i).get(30, TimeUnit.SECONDS).seq(), "call " + i + " got its job's next seq");
    }
    assertTrue(p.retries() > 0, "the batch was retried while Redis was stopped");
    for (int k = 0; k < 2; k++) {
      List<ProgressEvent> history = reader().history(jobs.get(k), 0);
      assertEquals(n / 2, history.size(), "each update of job " + k + " stored once");
      for (int i = 0; i < history.size(); i++) {
        assertEquals(2 * i + k + 1, history.get(i).progress(), "in call order");
      }
    }
  }

  @Test
  void aDeepAsyncBacklogIsStoredWholeAndInCallOrderAfterARestart() throws Exception {
    // far more than AsyncPublishQueue.DEEP_QUEUE wait when Redis is back: the sender takes them MAX_BATCH at a
    // time while the queue is deep and SHALLOW_BATCH at a time for the rest; every one is stored, in order
    RedisPublisher p = publisher(Duration.ofSeconds(20), 1000);
    List<String> jobs = List.of("deep-a-" + System.nanoTime(), "deep-b-" + System.nanoTime(), "deep-c-" + System.nanoTime());
    int n = 2 * AsyncPublishQueue.MAX_BATCH + AsyncPublishQueue.SHALLOW_BATCH + 5;
    redis.kill();
    List<CompletableFuture<ProgressEvent>> futures = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      futures.add(p.publishAsync(step(jobs.get(i % 3), (i / 3) % 101)));
    }
    redis.restart();
    for (int i = 0; i < n; i++) {
      ProgressEvent stored = futures.get(i).get(30, TimeUnit.SECONDS);
      assertEquals(jobs.get(i % 3), stored.jobId());
      assertEquals(i / 3 + 1, stored.seq(), "call " + i + " got its job's next seq");
    }
    for (int k = 0; k < 3; k++) {
      assertEquals((n - 1 - k) / 3 + 1, reader().latest(jobs.get(k)).orElseThrow().seq(), "the last call is the snapshot");
    }
  }

  @Test
  void aFullAsyncBufferKeepsEachJobsLatestUpdateRefusesLoudlyAndNeverDropsATerminal() throws Exception {
    RedisPublisher p = publisher(Duration.ofSeconds(30), 3);
    String a = "full-a-" + System.nanoTime();
    String b = "full-b-" + System.nanoTime();
    String x = "full-x-" + System.nanoTime();
    redis.kill();
    CompletableFuture<ProgressEvent> x10 = p.publishAsync(step(x, 10));
    await().atMost(Duration.ofSeconds(5)).until(() -> p.asyncHeldAndQueued()[1] == 0); // x10 in flight
    CompletableFuture<ProgressEvent> a10 = p.publishAsync(step(a, 10));
    CompletableFuture<ProgressEvent> a20 = p.publishAsync(step(a, 20));
    assertEquals(3, p.asyncHeldAndQueued()[0], "the buffer is full");

    CompletableFuture<ProgressEvent> a30 = p.publishAsync(step(a, 30));
    ExecutionException superseded = assertThrows(ExecutionException.class, () -> a20.get(5, TimeUnit.SECONDS));
    assertInstanceOf(PublishSupersededException.class, superseded.getCause());
    assertTrue(superseded.getCause().getMessage().contains("job " + a + " (processing 20%) superseded by a newer one"),
        superseded.getCause().getMessage());

    CompletableFuture<ProgressEvent> b10 = p.publishAsync(step(b, 10));
    ExecutionException full = assertThrows(ExecutionException.class, () -> b10.get(5, TimeUnit.SECONDS));
    assertInstanceOf(RedisException.class, full.getCause());
    assertTrue(full.getCause().getMessage().contains("the buffer is full (3 events"), full.getCause().getMessage());

    // a terminal update with no queued update to replace waits for room instead of being dropped
    CompletableFuture<CompletableFuture<ProgressEvent>> bDone =
        CompletableFuture.supplyAsync(() -> p.publishAsync(ProgressEvent.completed(b, "u1", "done")));
    // a terminal update replaces its job's queued non-terminal one (latest wins)
    CompletableFuture<ProgressEvent> aDone = p.publishAsync(ProgressEvent.completed(a, "u1", "done"));
    assertInstanceOf(PublishSupersededException.class,
        assertThrows(ExecutionException.class, () -> a30.get(5, TimeUnit.SECONDS)).getCause());
    assertFalse(bDone.isDone(), "the terminal update waits for room while Redis is away");

    redis.restart();
    assertEquals(1, x10.get(30, TimeUnit.SECONDS).seq());
    assertEquals(1, a10.get(30, TimeUnit.SECONDS).seq());
    assertEquals(2, aDone.get(30, TimeUnit.SECONDS).seq());
    assertEquals(JobStatus.COMPLETED, bDone.get(30, TimeUnit.SECONDS).get(30, TimeUnit.SECONDS).status());
    RedisSnapshotStore r = reader();
    assertEquals(JobStatus.COMPLETED, r.latest(a).orElseThrow().status());
    assertEquals(JobStatus.COMPLETED, r.latest(b).orElseThrow().status());
    assertEquals(10, r.latest(x).orElseThrow().progress());
  }
}
