package io.jobprogress.jakarta.ws;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobprogress.core.HubSettings;
import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.ProgressEvent;
import io.jobprogress.core.TestTokens;
import io.jobprogress.jakarta.ws.testing.Container;
import io.jobprogress.jakarta.ws.testing.HubServer;
import io.jobprogress.jakarta.ws.testing.RecordingClient;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The bounded churn test of issue 15: {@value #CYCLES} connect-subscribe-disconnect cycles from
 * {@value #USERS} users, {@value #PARALLEL} at a time, against one Jetty instance. Afterwards the registry is
 * empty, the library's {@code jobprogress-} threads are the ones there were before, and the heap after GC
 * is within {@value #HEAP_TOLERANCE_MB} MB of the baseline taken after a warm-up of
 * {@value #WARMUP} cycles. The tolerance is 1 KB per cycle: a leak of one small object graph per connection
 * (a session, an outbox, a registry entry: each well over 1 KB with its maps) fails it, while the noise of
 * GC timing, JIT and Jetty's pooled buffers (bounded, filled during the warm-up) stays below it.
 *
 * <p>Runs only with {@code -Djobprogress.load=true} (the {@code -Pload} profile sets it); see
 * docs/reliability.md for the command and the recorded figures.
 */
@EnabledIfSystemProperty(named = "jobprogress.load", matches = "true")
class ChurnIT {
  static final int CYCLES = 10_000;
  static final int WARMUP = 500;
  static final int USERS = 200;
  static final int PARALLEL = 16;
  static final long HEAP_TOLERANCE_MB = CYCLES / 1024 + 1;

  @Test
  @Timeout(value = 20, unit = java.util.concurrent.TimeUnit.MINUTES)
  void tenThousandConnectSubscribeDisconnectCyclesLeaveNoConnectionThreadOrHeapBehind() throws Exception {
    HubSettings settings = HubSettings.builder().userMessagesPerSecond(10_000).build();
    try (HubServer server = HubServer.start(Container.JETTY, settings)) {
      JobProgressHub hub = server.hub();
      for (int u = 0; u < USERS; u++) {
        hub.publishJobUpdate(ProgressEvent.queued(job(u), user(u)));
      }
      churn(server, WARMUP);
      awaitEmpty(hub);
      List<String> threadsBefore = libraryThreads();
      int allThreadsBefore = Thread.activeCount();
      long heapBefore = heapAfterGc();

      long start = System.nanoTime();
      churn(server, CYCLES);
      long seconds = (System.nanoTime() - start) / 1_000_000_000L;
      awaitEmpty(hub);
      await().atMost(Duration.ofSeconds(60)).until(() -> libraryThreads().equals(threadsBefore));
      long heapAfter = heapAfterGc();
      String figures = "churn: " + CYCLES + " cycles in " + seconds + " s; heap after GC " + mb(heapBefore)
          + " MB before, " + mb(heapAfter) + " MB after (tolerance " + HEAP_TOLERANCE_MB + " MB); library threads "
          + threadsBefore + " -> " + libraryThreads() + "; all threads " + allThreadsBefore + " -> "
          + Thread.activeCount() + "; registry " + hub.stats().connections().totalUsers() + " users, "
          + hub.stats().connections().totalClients() + " clients";
      System.out.println(figures);
      assertEquals(0, hub.stats().connections().totalClients(), figures);
      assertEquals(threadsBefore, libraryThreads(), figures);
      assertTrue(heapAfter - heapBefore <= HEAP_TOLERANCE_MB * 1024 * 1024, figures);
    }
  }

  /** {@code cycles} cycles, {@value #PARALLEL} at a time: connect, subscribe own job, see it, close. */
  private static void churn(HubServer server, int cycles) throws Exception {
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int t = 0; t < PARALLEL; t++) {
        runs.add(pool.submit(() -> {
          for (int i = next.getAndIncrement(); i < cycles; i = next.getAndIncrement()) {
            int u = i % USERS;
            RecordingClient c = RecordingClient.connect(server.wsUri(TestTokens.token(user(u))));
            try {
              c.assertFrame("connected");
              c.subscribe(job(u));
              c.assertFrame("subscribed");
              c.assertProgress(job(u), "queued");
            } finally {
              c.close();
            }
          }
          return null;
        }));
      }
      for (Future<?> f : runs) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  private static void awaitEmpty(JobProgressHub hub) {
    await().atMost(Duration.ofSeconds(60)).until(() -> hub.stats().connections().totalClients() == 0
        && hub.stats().connections().totalUsers() == 0);
  }

  static List<String> libraryThreads() {
    return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
        .filter(n -> n.startsWith("jobprogress-")).sorted().toList();
  }

  /** Heap in use after three full GCs (System.gc() is honoured by the default G1 without -XX:+DisableExplicitGC). */
  static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  static long mb(long bytes) {
    return bytes / (1024 * 1024);
  }

  private static String user(int u) {
    return "churn-user-" + u;
  }

  private static String job(int u) {
    return "churn-job-" + u;
  }
}
