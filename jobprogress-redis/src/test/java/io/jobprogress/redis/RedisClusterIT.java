package io.jobprogress.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.jobprogress.core.HubSession;
import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.JobStatus;
import io.jobprogress.core.ProgressEvent;
import io.jobprogress.core.RecordingConnection;
import io.jobprogress.core.TestTokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two hubs and a worker on a real 3+3 Redis Cluster: every client gets every update of jobs spread over all
 * three masters, and when a master is killed mid-job, delivery resumes after the failover and every client
 * ends with the final state. One cluster for the class; the failover test runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterIT {
  @RegisterExtension
  static final RedisClusterProcess cluster = new RedisClusterProcess();
  private static final int JOBS = 12;

  private final List<Throwable> escaped = new CopyOnWriteArrayList<>();
  private final List<JobProgressHub> hubs = new ArrayList<>();
  private final List<RedisBroadcaster> broadcasters = new ArrayList<>();
  private Thread.UncaughtExceptionHandler previous;
  private RedisPublisher worker;

  @BeforeEach
  void start() {
    previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> escaped.add(e));
    for (int i = 0; i < 2; i++) {
      RedisBroadcaster b = new RedisBroadcaster(cluster.settings().heartbeatInterval(Duration.ofMillis(300))
          .backoff(Duration.ofMillis(100), Duration.ofSeconds(1)).build());
      broadcasters.add(b);
      hubs.add(JobProgressHub.builder().tokenVerifier(TestTokens.verifier()).broadcaster(b).build());
    }
    worker = new RedisPublisher(cluster.settings().build());
  }

  @AfterEach
  void stop() {
    hubs.forEach(JobProgressHub::close);
    worker.close();
    Thread.setDefaultUncaughtExceptionHandler(previous);
    assertEquals(List.of(), escaped, "exceptions escaped to threads");
  }

  /** A client of {@code user} on hub {@code hub}, subscribed to every job in {@code jobs} (queued first). */
  private RecordingConnection client(int hub, String user, List<String> jobs) throws Exception {
    for (String job : jobs) {
      if (broadcasters.get(hub).store().latest(job).isEmpty()) {
        worker.publish(ProgressEvent.queued(job, user));
      }
    }
    RecordingConnection c = new RecordingConnection(user);
    HubSession s = hubs.get(hub).open(c, hubs.get(hub).authenticate(TestTokens.token(user)));
    c.assertFrame("connected");
    for (String job : jobs) {
      s.onText("{\"type\":\"subscribe\",\"data\":{\"jobId\":\"" + job + "\"}}");
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> c.allFrames().stream()
        .filter(f -> f.startsWith("{\"type\":\"subscribed\"")).count() == jobs.size());
    await().atMost(Duration.ofSeconds(10)).until(() -> broadcasters.get(hub).isReady());
    return c;
  }

  private static List<String> jobs(String name) {
    List<String> jobs = new ArrayList<>();
    for (int i = 0; i < JOBS; i++) {
      jobs.add(name + "-" + i + "-" + System.nanoTime());
    }
    return jobs;
  }

  /**
   * {@link #JOBS} new job ids, a third on each master: chosen by the slot their channel hashes to, not left
   * to chance (12 random ids miss one of three masters about once in 40 runs).
   */
  private static List<String> jobsOnEveryMaster(String name) {
    java.util.Map<Integer, List<String>> byMaster = new java.util.HashMap<>();
    List<String> jobs = new ArrayList<>();
    for (int i = 0; jobs.size() < JOBS; i++) {
      if (i > 10_000) {
        throw new IllegalStateException("no " + JOBS / 3 + " job ids per master among 10,000: " + byMaster.keySet());
      }
      String job = name + "-" + i + "-" + System.nanoTime();
      List<String> onIt = byMaster.computeIfAbsent(cluster.masterOf(new RedisKeys("").channel(job)), m -> new ArrayList<>());
      if (onIt.size() < JOBS / 3) {
        onIt.add(job);
        jobs.add(job);
      }
    }
    return jobs;
  }

  /** The last progress frame per job seen by {@code c}: job id to "status/progress". */
  private static java.util.Map<String, String> lastStates(RecordingConnection c) {
    java.util.Map<String, String> last = new java.util.HashMap<>();
    for (String f : c.allFrames()) {
      JsonObject o = JsonParser.parseString(f).getAsJsonObject();
      if (o.get("type").getAsString().equals("progress")) {
        JsonObject d = o;
        last.put(d.get("jobId").getAsString(), d.get("status").getAsString() + "/" + d.get("progress").getAsInt());
      }
    }
    return last;
  }

  private static java.util.Map<String, String> allCompleted(List<String> jobs) {
    java.util.Map<String, String> want = new java.util.HashMap<>();
    jobs.forEach(j -> want.put(j, "completed/100"));
    return want;
  }

  @Test
  @Order(1)
  void jobsOnEveryMasterReachTheClientsOfBothInstances() throws Exception {
    List<String> jobs = jobsOnEveryMaster("spread");
    Set<Integer> masters = new HashSet<>();
    jobs.forEach(j -> masters.add(cluster.masterOf(new RedisKeys("").channel(j))));
    assertEquals(3, masters.size(), "the jobs' channels span all three masters");
    RecordingConnection a = client(0, "u1", jobs);
    RecordingConnection b = client(1, "u1", jobs);
    for (int p = 0; p <= 100; p += 25) {
      for (String job : jobs) {
        worker.publish(p == 100 ? ProgressEvent.completed(job, "u1", "done")
            : ProgressEvent.of(job, "u1", JobStatus.PROCESSING, p, "work", ""));
      }
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> lastStates(a).equals(allCompleted(jobs))
        && lastStates(b).equals(allCompleted(jobs)));
    // the user index (a separate write in the user's own slot) lists the jobs for sync
    assertEquals(JOBS, broadcasters.get(0).store().recentJobsOf("u1", java.time.Instant.EPOCH, 100).stream()
        .filter(e -> jobs.contains(e.jobId())).count());
  }

  @Test
  @Order(2)
  void afterAMasterIsKilledMidJobDeliveryResumesAndEveryClientEndsWithTheFinalState() throws Exception {
    List<String> jobs = jobs("failover");
    RecordingConnection a = client(0, "u2", jobs);
    RecordingConnection b = client(1, "u2", jobs);
    for (String job : jobs) {
      worker.publish(ProgressEvent.of(job, "u2", JobStatus.PROCESSING, 10, "work", ""));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> lastStates(a).size() == JOBS && lastStates(b).size() == JOBS);

    int killed = cluster.killMasterOf(new RedisKeys("").channel(jobs.get(0)));
    // the worker keeps going: publishes to the dead master's slots wait out the failover (retry window)
    for (int p = 20; p <= 100; p += 40) {
      for (String job : jobs) {
        worker.publish(p == 100 ? ProgressEvent.completed(job, "u2", "done")
            : ProgressEvent.of(job, "u2", JobStatus.PROCESSING, p, "work", ""));
      }
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> lastStates(a).equals(allCompleted(jobs))
        && lastStates(b).equals(allCompleted(jobs)));
    cluster.awaitHealthy();
    for (RedisBroadcaster br : broadcasters) {
      assertTrue(((Number) br.stats().get("shardLosses")).longValue() >= 1,
          "the lost master (port " + killed + ") was noticed: " + br.stats());
      await().atMost(Duration.ofSeconds(10)).until(br::isReady);
    }
    // and the instances keep working on the new topology
    String after = "after-" + System.nanoTime();
    RecordingConnection c = client(1, "u2", List.of(after));
    worker.publish(ProgressEvent.completed(after, "u2", "done"));
    await().atMost(Duration.ofSeconds(10)).until(() -> "completed/100".equals(lastStates(c).get(after)));
  }
}
