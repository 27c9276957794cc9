package io.jobprogress.examples.demo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobprogress.publisher.JobProgressPublisher;
import io.jobprogress.redis.RedisServerProcess;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 15's chaos tests, black-box through the real demo jar: a test-owned redis-server behind a
 * {@link CuttableProxy}, two demo instances A and B in Redis mode talking to Redis only through the proxy,
 * the test JVM as the worker ({@link ConvergenceWorker}, also through the proxy) and {@link ResumingClient}s
 * (two per user, resuming by seq) attached to both instances. Each test injects one fault while jobs run:
 * Redis SIGSTOPped for 10 s, Redis SIGKILLed and restarted empty, the network to Redis cut and restored,
 * an instance SIGKILLed with clients attached (last, because it leaves one instance). Each asserts:
 * <ul>
 *   <li>no lost terminal state: every client ends holding every job's terminal (epoch, seq, status);
 *   <li>no duplicate, no seq going back, no unannounced skip and no unsolicited frame in any client's
 *       {@link SeqLedger};
 *   <li>the server served throughout: a probe connects to each live instance and is answered a ping,
 *       again and again while the fault lasts, and every probe succeeds;
 *   <li>no leak: after the clients leave, each surviving instance's {@code totalClients} is 0, its
 *       {@code jobprogress-} threads are the same as before the fault (taken after a warm-up connection,
 *       since the token timer thread starts with the first one), and the connections the instances hold
 *       through the proxy stay within their pool bound.
 * </ul>
 * The scenarios share Redis, proxy and instances to keep the suite short (about a minute on 2 cores).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaosIT {
  static final String SECRET = "chaos-shared-secret-0123456789abcdef0123";
  static final String STATS_TOKEN = "chaos-stats-token-0123456789";
  static final int USERS = 4;
  static final int JOBS_PER_USER = 3;
  static final int CLIENTS_PER_USER = 2;
  /** The Jedis pool's default size (16) plus the subscriber's connection and its ops connection. */
  static final int REDIS_CONNECTIONS_PER_INSTANCE = 16 + 2;

  static RedisServerProcess redis;
  static CuttableProxy proxy;
  static final Map<String, DemoProcess> live = new LinkedHashMap<>();
  static final List<DemoProcess> instancesEver = new ArrayList<>();
  static TokenIssuer issuer;
  static String probeToken;

  @BeforeAll
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  static void start() throws Exception {
    redis = RedisServerProcess.start();
    proxy = CuttableProxy.start(redis.port());
    Map<String, String> env = Map.of("REDIS_URL", proxy.url(), "JWT_SECRET", SECRET, "STATS_TOKEN", STATS_TOKEN);
    for (String name : List.of("A", "B")) {
      DemoProcess p = DemoProcess.startDemo(env);
      instancesEver.add(p);
      live.put(name, p);
    }
    issuer = TokenIssuer.forSecret(SECRET);
    probeToken = issuer.issue("chaos-probe");
  }

  @AfterAll
  static void stop() {
    instancesEver.forEach(DemoProcess::close);
    if (proxy != null) {
      proxy.close();
    }
    if (redis != null) {
      redis.resume();
      redis.close();
    }
  }

  @Test
  @Order(1)
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void redisPausedWithSigstopForTenSecondsLosesNoTerminalStateAndLeaksNothing() throws Exception {
    Scenario s = new Scenario("sigstop", 0x51057L, true);
    s.run(() -> {
      redis.pause();
      try {
        s.probeFor(Duration.ofSeconds(10), live);
      } finally {
        redis.resume();
      }
    });
    s.assertAll();
  }

  @Test
  @Order(2)
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void redisKilledAndRestartedEmptyLosesNoTerminalStateAndLeaksNothing() throws Exception {
    // a non-persistent Redis forgets every job: the worker holds terminal updates until it is back
    Scenario s = new Scenario("kill-redis", 0x4b111L, false);
    s.run(() -> {
      redis.kill();
      try {
        s.probeFor(Duration.ofSeconds(3), live);
      } finally {
        redis.restart();
      }
    });
    s.assertAll();
  }

  @Test
  @Order(3)
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void networkToRedisCutAndRestoredLosesNoTerminalStateAndLeaksNothing() throws Exception {
    Scenario s = new Scenario("net-cut", 0xc077L, true);
    s.run(() -> {
      proxy.cut();
      try {
        s.probeFor(Duration.ofSeconds(5), live);
      } finally {
        proxy.restore();
      }
    });
    assertTrue(proxy.refused() > 0, "something tried to reach Redis while the network was cut");
    s.assertAll();
  }

  @Test
  @Order(4)
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void anInstanceKilledWithClientsAttachedMovesThemToTheOtherWithNoTerminalStateLost() throws Exception {
    Scenario s = new Scenario("kill-instance", 0x1d1eL, true);
    String[] survivor = new String[1];
    s.run(() -> {
      // the instance holding the most of the clients dies; they all must end on the other one
      String doomed = InstanceHealth.totalClients(live.get("A"), STATS_TOKEN)
          >= InstanceHealth.totalClients(live.get("B"), STATS_TOKEN) ? "A" : "B";
      survivor[0] = doomed.equals("A") ? "B" : "A";
      DemoProcess victim = live.remove(doomed);
      victim.process().destroyForcibly(); // SIGKILL: no shutdown hook, the connections just vanish
      victim.process().waitFor(10, TimeUnit.SECONDS);
      s.probeFor(Duration.ofSeconds(3), live);
    });
    // before the clients leave: every one of them is now on A
    try {
      await().atMost(Duration.ofSeconds(30))
          .until(() -> InstanceHealth.totalClients(live.get(survivor[0]), STATS_TOKEN) == s.clients.size());
    } catch (ConditionTimeoutException e) {
      // asserted just below with the figure
    }
    assertEquals(s.clients.size(), InstanceHealth.totalClients(live.get(survivor[0]), STATS_TOKEN),
        () -> "every client moved to " + survivor[0] + "\n" + s.summary());
    assertTrue(s.clients.stream().mapToInt(c -> c.ledger.connections()).sum() > s.clients.size(),
        () -> "some client was on the killed instance and reconnected\n" + s.summary());
    s.assertAll();
  }

  /** One fault run: its own jobs (seeded ids), clients, probes and the before/after health. */
  final class Scenario {
    final String name;
    final long seed;
    final boolean terminalsDuringFault;
    final List<ResumingClient> clients = new ArrayList<>();
    final List<String> probeFailures = new CopyOnWriteArrayList<>();
    final AtomicInteger probes = new AtomicInteger();
    final Map<String, List<String>> threadsBefore = new LinkedHashMap<>();
    final Map<String, List<String>> threadsAfter = new LinkedHashMap<>();
    final Map<String, Integer> clientsAfter = new LinkedHashMap<>();
    int redisConnectionsBefore;
    int redisConnectionsAfter;
    ConvergenceWorker worker;
    String workerError;
    String settleTimeout;
    boolean stopped;

    Scenario(String name, long seed, boolean terminalsDuringFault) {
      this.name = name;
      this.seed = seed;
      this.terminalsDuringFault = terminalsDuringFault;
    }

    void run(Fault fault) throws Exception {
      probeFor(Duration.ZERO, live); // warm-up: threads started lazily by a first connection exist from here on
      probes.set(0); // only probes during the fault count
      for (Map.Entry<String, DemoProcess> e : live.entrySet()) {
        threadsBefore.put(e.getKey(), InstanceHealth.libraryThreads(e.getValue().process()));
      }
      redisConnectionsBefore = proxy.open();
      Map<String, URI> wsUrls = new LinkedHashMap<>();
      live.forEach((n, p) -> wsUrls.put(n, p.ws("/ws")));
      worker = ConvergenceWorker.plan(JobProgressPublisher.redis(proxy.url()), seed, USERS, JOBS_PER_USER);
      try {
        worker.publishQueued();
        if (terminalsDuringFault) {
          worker.openTerminalGate();
        }
        int i = 0;
        // well-spread client seeds: java.util.Random's first draw from neighbouring seeds is nearly the same,
        // which would send every client to the same instance
        java.util.SplittableRandom mix = new java.util.SplittableRandom(seed);
        for (Map.Entry<String, List<String>> user : worker.jobsByUser.entrySet()) {
          String token = issuer.issue(user.getKey());
          for (int c = 1; c <= CLIENTS_PER_USER; c++) {
            ResumingClient client = new ResumingClient(name + "/" + user.getKey() + "/" + c, user.getKey(), token,
                user.getValue(), wsUrls, mix.nextLong() + ++i);
            client.calm(); // attached and staying: only the fault drops them
            clients.add(client);
          }
        }
        clients.forEach(ResumingClient::start);
        CompletableFuture<Void> work = worker.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> worker.published.get() >= worker.total / 4 || work.isDone());
        try {
          fault.inject();
        } finally {
          worker.openTerminalGate();
        }
        try {
          work.get(90, TimeUnit.SECONDS);
        } catch (Exception e) {
          workerError = String.valueOf(e);
        }
        try {
          await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
              .until(() -> clients.stream().allMatch(c -> c.holdsAll(worker.terminal)));
        } catch (ConditionTimeoutException e) {
          settleTimeout = "not every client held every terminal state 60 s after the last publish";
        }
      } finally {
        if (!name.equals("kill-instance")) {
          leave();
        }
      }
    }

    /** The clients and the worker leave; then the after-health is read (awaiting the connections' end). */
    void leave() throws Exception {
      if (stopped) {
        return;
      }
      stopped = true;
      for (ResumingClient c : clients) {
        c.stop();
      }
      worker.close();
      for (Map.Entry<String, DemoProcess> e : live.entrySet()) {
        try {
          await().atMost(Duration.ofSeconds(30))
              .until(() -> InstanceHealth.totalClients(e.getValue(), STATS_TOKEN) == 0);
        } catch (ConditionTimeoutException ex) {
          // recorded below and asserted
        }
        clientsAfter.put(e.getKey(), InstanceHealth.totalClients(e.getValue(), STATS_TOKEN));
        List<String> before = threadsBefore.get(e.getKey());
        try {
          await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
              .until(() -> noNewThreads(before, InstanceHealth.libraryThreads(e.getValue().process())));
        } catch (ConditionTimeoutException ex) {
          // recorded below and asserted
        }
        threadsAfter.put(e.getKey(), InstanceHealth.libraryThreads(e.getValue().process()));
      }
      redisConnectionsAfter = proxy.open();
      System.out.println(summary());
    }

    /** While the fault lasts ({@code outage}), probes every instance in {@code on} again and again. */
    void probeFor(Duration outage, Map<String, DemoProcess> on) throws InterruptedException {
      long end = System.nanoTime() + outage.toNanos();
      do {
        for (Map.Entry<String, DemoProcess> e : on.entrySet()) {
          try (WsRecorder ws = WsRecorder.connect(e.getValue().ws("/ws"), probeToken)) {
            ws.next("connected");
            ws.send("{\"type\":\"ping\"}");
            ws.next("pong");
            probes.incrementAndGet();
          } catch (Exception | AssertionError ex) {
            probeFailures.add(e.getKey() + ": " + ex);
          }
        }
        Thread.sleep(200); // the probe's pace during the outage, not a wait for a condition
      } while (System.nanoTime() < end);
    }

    void assertAll() throws Exception {
      leave();
      List<String> missing = clients.stream().flatMap(c -> c.missing(worker.terminal).stream()).toList();
      // every kind, gaps included: a job that restarts its epoch while watched is filled from seq 1 by the
      // hub (ProgressOutbox), so a client never sees a new epoch start above seq 1 without recovered:false
      List<String> violations = clients.stream().flatMap(c -> c.ledger.violations.stream())
          .map(SeqLedger.Violation::text).limit(10).toList();
      org.junit.jupiter.api.Assertions.assertAll(
          () -> assertEquals(USERS * JOBS_PER_USER, worker.terminal.size(),
              () -> "the worker published every terminal update (" + workerError + ") " + worker.failures + "\n"
                  + summary()),
          () -> assertTrue(missing.isEmpty(), () -> settleTimeout + ":\n" + String.join("\n", missing) + "\n"
              + summary() + "\n" + trouble()),
          () -> assertTrue(violations.isEmpty(), () -> "ordering violations:\n" + String.join("\n", violations)),
          () -> assertTrue(probes.get() > 0 && probeFailures.isEmpty(),
              () -> "every probe during the fault connected and was answered a ping: " + probeFailures),
          () -> assertTrue(clientsAfter.values().stream().allMatch(n -> n == 0),
              () -> "no connection left on the instances: " + clientsAfter),
          () -> assertTrue(threadsAfter.entrySet().stream()
              .allMatch(e -> noNewThreads(threadsBefore.get(e.getKey()), e.getValue())),
              () -> "no jobprogress- thread more after the fault than before it: before " + threadsBefore
                  + ", after " + threadsAfter),
          () -> assertTrue(redisConnectionsAfter <= live.size() * REDIS_CONNECTIONS_PER_INSTANCE,
              () -> "connections to Redis within the pool bound of " + REDIS_CONNECTIONS_PER_INSTANCE
                  + " per instance: " + redisConnectionsBefore + " before, " + redisConnectionsAfter + " after"));
    }

    /**
     * No thread in {@code after} that was not in {@code before} (by name, counted): the sweeper runs only while
     * connections exist, so it may be gone after the clients left but never be new or doubled.
     */
    boolean noNewThreads(List<String> before, List<String> after) {
      List<String> rest = new ArrayList<>(before);
      return after.stream().allMatch(rest::remove);
    }

    String summary() {
      int connections = clients.stream().mapToInt(c -> c.ledger.connections()).sum();
      int refusals = clients.stream().mapToInt(c -> c.refusals.get()).sum();
      int failures = clients.stream().mapToInt(c -> c.connectFailures.get()).sum();
      long gaps = clients.stream().flatMap(c -> c.ledger.violations.stream())
          .filter(v -> v.kind() == SeqLedger.Kind.GAP).count();
      return "chaos " + name + ": " + (worker == null ? "-" : worker.published.get() + "/" + worker.total
          + " updates published, " + worker.terminal.size() + " terminal, " + worker.failures.size()
          + " publish failures") + "; " + clients.size() + " clients, " + connections + " connections ("
          + failures + " failed), " + refusals + " refused subscribes, " + gaps + " unannounced live seq skips; " + probes.get() + " probes ok, "
          + probeFailures.size() + " failed; threads before " + counts(threadsBefore) + " after "
          + counts(threadsAfter) + "; totalClients after " + clientsAfter + "; Redis connections via proxy "
          + redisConnectionsBefore + " before, " + redisConnectionsAfter + " after (" + proxy.refused()
          + " refused while cut)";
    }

    private String counts(Map<String, List<String>> threads) {
      return threads.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().size())
          .collect(Collectors.joining(",", "{", "}"));
    }

    private String trouble() {
      return instancesEver.stream().flatMap(p -> p.output().stream())
          .filter(l -> l.contains("WARN") || l.contains("ERROR") || l.contains("Exception")).limit(20)
          .collect(Collectors.joining("\n"));
    }
  }

  /** The fault of one test, including its outage time and probes. */
  @FunctionalInterface
  interface Fault {
    void inject() throws Exception;
  }
}
