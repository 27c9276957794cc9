package io.jobprogress.examples.demo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobprogress.publisher.JobProgressPublisher;
import io.jobprogress.redis.RedisServerProcess;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12's convergence acceptance test, black-box over the wire: a test-owned redis-server, two demo jars
 * A and B in Redis mode, the test JVM as the worker (6 users x 5 jobs, 20-40 updates each, through
 * {@link JobProgressPublisher}), and 12 {@link ResumingClient}s (2 per user) that drop their connection
 * at random moments and resume on A or B at random with {@code sinceSeq}/{@code epoch}. During the run
 * Redis is SIGKILLed and restarted empty about 1 s later, and one instance is SIGKILLed and restarted on
 * its port. The scenario runs once ({@link #run()}); each test asserts one promise over what every client
 * saw. Seeded: {@code -Dconvergence.seed=N} repeats the random choices (thread timing still varies); the
 * seed is in every failure message.
 */
class ConvergenceIT {
  static final String SECRET = "convergence-shared-secret-0123456789abcdef";
  static final long SEED = Long.getLong("convergence.seed", 20261128L);
  static final int USERS = 6;
  static final int JOBS_PER_USER = 5;
  static final int CLIENTS_PER_USER = 2;

  static final List<AutoCloseable> resources = new ArrayList<>();
  static final List<DemoProcess> instancesEver = new ArrayList<>();
  static final List<ResumingClient> clients = new ArrayList<>();
  static final List<String> tokens = new ArrayList<>();
  static RedisServerProcess redis;
  static ConvergenceWorker worker;
  static String killed;
  static boolean redisRestarted;
  static String settleTimeout;
  static String workerError;

  @BeforeAll
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  static void run() throws Exception {
    Random random = new Random(SEED);
    redis = RedisServerProcess.start();
    resources.add(redis);
    Map<String, String> env = Map.of("REDIS_URL", redis.url(), "JWT_SECRET", SECRET);
    Map<String, DemoProcess> live = new LinkedHashMap<>();
    live.put("A", demo(env));
    live.put("B", demo(env));
    Map<String, URI> wsUrls = new LinkedHashMap<>();
    live.forEach((name, p) -> wsUrls.put(name, p.ws("/ws")));

    worker = ConvergenceWorker.plan(JobProgressPublisher.redis(redis.url()), SEED, USERS, JOBS_PER_USER);
    resources.add(worker);
    worker.publishQueued();
    TokenIssuer issuer = TokenIssuer.forSecret(SECRET);
    int i = 0;
    for (Map.Entry<String, List<String>> user : worker.jobsByUser.entrySet()) {
      String token = issuer.issue(user.getKey());
      tokens.add(token);
      for (int c = 1; c <= CLIENTS_PER_USER; c++) {
        clients.add(new ResumingClient(user.getKey() + "/" + c, user.getKey(), token, user.getValue(), wsUrls,
            SEED * 7919 + ++i));
      }
    }
    clients.forEach(ResumingClient::start);
    CompletableFuture<Void> work = worker.start();

    await().atMost(Duration.ofSeconds(40))
        .until(() -> worker.published.get() >= worker.total / 4 || work.isDone());
    try {
      redis.kill();
      Thread.sleep(1000); // the outage itself: Redis stays away for about a second
      redis.restart();
      redisRestarted = true;
    } finally {
      worker.openTerminalGate();
    }

    await().atMost(Duration.ofSeconds(40))
        .until(() -> worker.published.get() >= worker.total * 11 / 20 || work.isDone());
    killed = random.nextBoolean() ? "A" : "B";
    DemoProcess victim = live.get(killed);
    victim.process().destroyForcibly(); // SIGKILL: no shutdown hook, connections just vanish
    victim.process().waitFor(10, TimeUnit.SECONDS);
    live.put(killed, demo(with(env, "PORT", Integer.toString(victim.url().getPort()))));

    try {
      work.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      workerError = String.valueOf(e);
    }
    clients.forEach(ResumingClient::calm);
    try {
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
          .until(() -> clients.stream().allMatch(c -> c.holdsAll(worker.terminal)));
    } catch (ConditionTimeoutException e) {
      settleTimeout = "not every client held every terminal state 30 s after the last publish";
    }
    for (ResumingClient c : clients) {
      c.stop();
    }
    System.out.println(summary());
  }

  @AfterAll
  static void stopEverything() throws Exception {
    for (ResumingClient c : clients) {
      c.stop();
    }
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        System.err.println("convergence: closing " + resources.get(i) + " failed: " + e);
      }
    }
  }

  @Test
  void everyClientSeesStrictlyIncreasingSeqsPerJobWithNoDuplicate() {
    assertAll(() -> assertNone(SeqLedger.Kind.ORDER, "a duplicate or a seq going back"),
        () -> assertNone(SeqLedger.Kind.UNSOLICITED, "a frame that was never asked for"));
  }

  @Test
  void everySkippedRangeIsFlaggedByRecoveredFalse() {
    assertNone(SeqLedger.Kind.GAP, "skipped seqs not announced by recovered:false");
  }

  @Test
  void everyResumeIsAnsweredWithRecoveredAndSomeResumesRecover() {
    assertNone(SeqLedger.Kind.RECOVERED_MISSING, "a resume answered without \"recovered\"");
    int recovered = clients.stream().mapToInt(c -> c.ledger.recoveredTrue.get()).sum();
    assertTrue(recovered > 0, () -> "no resume was ever answered recovered:true\n" + summary());
  }

  @Test
  void everyClientEndsWithEveryJobsTerminalState() {
    assertEquals(USERS * JOBS_PER_USER, worker.terminal.size(),
        () -> "the worker did not publish every terminal update (" + workerError + ")\n" + summary());
    List<String> missing = clients.stream().flatMap(c -> c.missing(worker.terminal).stream()).toList();
    assertTrue(missing.isEmpty(), () -> settleTimeout + ":\n" + lines(missing) + "\n" + summary()
        + "\ninstance log lines with WARN/ERROR/Exception:\n" + lines(instanceTrouble()));
  }

  @Test
  void thePublisherRidesOutTheRedisRestartWithoutThrowing() {
    assertTrue(worker.failures.isEmpty(), () -> worker.failures.size()
        + " publish calls threw while Redis restarted (the worker retried them); distinct:\n"
        + lines(worker.failures.stream().distinct().toList()) + "\n" + summary());
  }

  @Test
  void theRunHadItsFaultsAndEveryClientReconnectedToBothInstances() {
    assertTrue(redisRestarted, "Redis was restarted");
    assertTrue(killed != null, "an instance was killed");
    for (ResumingClient c : clients) {
      assertTrue(c.ledger.connections() >= 3 && c.instancesUsed.size() == 2,
          () -> "client " + c.name + " connected " + c.ledger.connections() + " times to " + c.instancesUsed
              + "\n" + summary());
    }
  }

  @Test
  void noTokenAppearsInEitherInstancesOutput() {
    assertEquals(USERS, tokens.size(), "one token per user was issued");
    List<String> leaks = instancesEver.stream().flatMap(p -> p.output().stream())
        .filter(l -> l.contains(SECRET) || tokens.stream().anyMatch(l::contains)).toList();
    assertTrue(leaks.isEmpty(), () -> "a token or the secret in instance output:\n" + lines(leaks));
  }

  /** Fails listing the violations of {@code kind}: how many of each shape, then a few of every client. */
  private static void assertNone(SeqLedger.Kind kind, String what) {
    List<String> found = violations(kind);
    Map<Boolean, Long> live = found.stream().collect(Collectors.partitioningBy(t -> t.contains("(live)"),
        Collectors.counting()));
    List<String> sample = new ArrayList<>();
    for (boolean liveShape : new boolean[] {true, false}) {
      clients.forEach(c -> c.ledger.violations.stream().filter(v -> v.kind() == kind)
          .filter(v -> v.text().contains("(live)") == liveShape).limit(2).forEach(v -> sample.add(v.text())));
    }
    String split = kind == SeqLedger.Kind.ORDER || kind == SeqLedger.Kind.GAP
        ? " (" + live.get(true) + " live, " + live.get(false) + " first after subscribed)" : "";
    assertTrue(found.isEmpty(), () -> found.size() + " x " + what + split
        + "; up to 2 per client and shape, live first:\n" + lines(sample) + "\n" + summary());
  }

  private static List<String> violations(SeqLedger.Kind kind) {
    return clients.stream().flatMap(c -> c.ledger.violations.stream())
        .filter(v -> v.kind() == kind).map(SeqLedger.Violation::text).toList();
  }

  static String summary() {
    int resumes = 0;
    int yes = 0;
    int no = 0;
    int absent = 0;
    int connections = 0;
    int failures = 0;
    int refusals = 0;
    int unasked = 0;
    Map<SeqLedger.Kind, Integer> kinds = new HashMap<>();
    List<String> notes = new ArrayList<>();
    for (ResumingClient c : clients) {
      resumes += c.ledger.resumes.get();
      yes += c.ledger.recoveredTrue.get();
      no += c.ledger.recoveredFalse.get();
      absent += c.ledger.recoveredAbsent.get();
      connections += c.ledger.connections();
      failures += c.connectFailures.get();
      refusals += c.refusals.get();
      unasked += c.ledger.unasked.get();
      c.ledger.violations.forEach(v -> kinds.merge(v.kind(), 1, Integer::sum));
      c.notes.stream().limit(3).forEach(n -> notes.add(c.name + ": " + n));
    }
    return "convergence seed " + SEED + " (repeat with -Dconvergence.seed=" + SEED + "): "
        + (worker == null ? "no worker" : worker.published.get() + "/" + worker.total + " updates published, "
            + worker.terminal.size() + " terminal, " + worker.failures.size() + " publish failures")
        + "; redis restarted " + redisRestarted + ", killed instance " + killed + "; " + clients.size()
        + " clients, " + connections + " connections (" + failures + " failed), " + refusals + " refused subscribes; "
        + resumes + " resumes: recovered true " + yes + ", false " + no + ", absent " + absent + "; " + unasked
        + " subscribed frames not asked for"
        + "; violations " + kinds + (notes.isEmpty() ? "" : "; client notes: " + notes);
  }

  private static List<String> instanceTrouble() {
    return instancesEver.stream().flatMap(p -> p.output().stream())
        .filter(l -> l.contains("WARN") || l.contains("ERROR") || l.contains("Exception")).limit(20)
        .collect(Collectors.toList());
  }

  private static String lines(List<String> l) {
    return Stream.concat(l.stream().limit(25).map(s -> "  " + s),
        l.size() > 25 ? Stream.of("  ... and " + (l.size() - 25) + " more") : Stream.empty())
        .collect(Collectors.joining("\n"));
  }

  private static DemoProcess demo(Map<String, String> env) throws Exception {
    DemoProcess p = DemoProcess.startDemo(env);
    instancesEver.add(p);
    resources.add(p);
    return p;
  }

  private static Map<String, String> with(Map<String, String> base, String key, String value) {
    Map<String, String> m = new HashMap<>(base);
    m.put(key, value);
    return m;
  }
}
