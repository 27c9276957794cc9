package io.jobprogress.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The acceptance: 8 threads connect, subscribe, unsubscribe, publish and disconnect at random
 * through a real {@link JobProgressHub} on an {@link InMemoryBroadcaster} for about 3 seconds. Afterwards
 * the registry is empty, interest hints balance out, and every progress frame any connection received
 * belongs to that connection's user and to a job it subscribed to. The authorizer allows every job, so
 * only the hub's delivery filter stands between a user and other users' progress.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionRegistryConcurrencyTest {
  private static final int THREADS = 8;
  private static final long RUN_NANOS = TimeUnit.SECONDS.toNanos(3);
  private static final int MAX_OPS_PER_THREAD = 200_000;
  private static final String[] USERS = {"u0", "u1", "u2", "u3"};
  private static final int JOBS = 12;

  /** Records interest hints per id, in the order the registry reports them. */
  private static final class HintRecorder implements Broadcaster {
    final InMemoryBroadcaster delegate = new InMemoryBroadcaster();
    final Map<String, List<Boolean>> hints = new ConcurrentHashMap<>();

    @Override public void start(Listener listener) { delegate.start(listener); }
    @Override public ProgressEvent publish(ProgressEvent event) { return delegate.publish(event); }
    @Override public SnapshotStore store() { return delegate.store(); }
    @Override public Map<String, Object> stats() { return delegate.stats(); }
    @Override public void close() { delegate.close(); }

    @Override
    public void interest(Scope scope, String id, boolean interested) {
      hints.computeIfAbsent(scope + ":" + id, k -> new CopyOnWriteArrayList<>()).add(interested);
    }
  }

  private static String job(int i) {
    return "job-" + i;
  }

  private static String owner(String jobId) {
    return USERS[Integer.parseInt(jobId.substring(4)) % USERS.length];
  }

  @Test
  void randomConnectSubscribePublishDisconnectLeavesAnEmptyRegistryAndNeverLeaks() throws Exception {
    HintRecorder broadcaster = new HintRecorder();
    JobProgressHub hub = JobProgressHub.builder()
        .broadcaster(broadcaster)
        .tokenVerifier(TestTokens.verifier())
        .jobAuthorizer(JobAuthorizer.allowAll())
        .settings(HubSettings.builder().maxConnectionsPerUser(1_000).messagesPerSecond(1e9).messageBurst(1_000_000)
            .userMessagesPerSecond(1e9).build())
        .build();
    Map<String, AuthenticatedUser> users = new HashMap<>();
    for (String u : USERS) {
      users.put(u, hub.authenticate(TestTokens.token(u)));
    }
    // every connection ever opened, with every job it ever asked to subscribe to
    Map<RecordingConnection, Set<String>> everSubscribed = new ConcurrentHashMap<>();
    AtomicLong published = new AtomicLong();
    long seed = Long.getLong("fuzz.seed", System.nanoTime());
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      SplittableRandom random = new SplittableRandom(seed + t);
      results.add(pool.submit(() -> {
        go.await();
        List<RecordingConnection> open = new ArrayList<>();
        Map<RecordingConnection, HubSession> sessions = new HashMap<>();
        long end = System.nanoTime() + RUN_NANOS;
        int ops = 0;
        while (ops < MAX_OPS_PER_THREAD && System.nanoTime() < end) {
          ops++;
          int action = random.nextInt(10);
          if (open.isEmpty() || (action == 0 && open.size() < 6)) {
            String user = USERS[random.nextInt(USERS.length)];
            RecordingConnection c = new RecordingConnection(user);
            everSubscribed.put(c, ConcurrentHashMap.newKeySet());
            sessions.put(c, hub.open(c, users.get(user)));
            open.add(c);
            continue;
          }
          RecordingConnection c = open.get(random.nextInt(open.size()));
          String jobId = job(random.nextInt(JOBS));
          if (action <= 3) {
            everSubscribed.get(c).add(jobId);
            sessions.get(c).onText("{\"type\":\"subscribe\",\"data\":{\"jobId\":\"" + jobId + "\"}}");
          } else if (action == 4) {
            sessions.get(c).onText("{\"type\":\"unsubscribe\",\"data\":{\"jobId\":\"" + jobId + "\"}}");
          } else if (action <= 7) {
            hub.publishJobUpdate(ProgressEvent.of(jobId, owner(jobId), JobStatus.PROCESSING,
                random.nextInt(101), "s", "m"));
            published.incrementAndGet();
          } else if (action == 8) {
            sessions.get(c).onText("{\"type\":\"ping\"}");
          } else {
            c.close(CloseReason.NORMAL);
            sessions.remove(c).onClose();
            open.remove(c);
          }
        }
        for (RecordingConnection c : open) {
          c.close(CloseReason.NORMAL);
          sessions.get(c).onClose();
        }
        return ops;
      }));
    }
    go.countDown();
    long ops = 0;
    for (Future<Integer> f : results) {
      ops += f.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();

    assertTrue(hub.registry().isEmpty(), "registry empty after every connection closed");
    assertEquals(new RegistryStats(0, 0, List.of()), hub.stats().connections());
    broadcaster.hints.forEach((id, list) -> {
      for (int i = 0; i < list.size(); i++) {
        assertEquals(i % 2 == 0, list.get(i), () -> "hints for " + id + " must alternate, were " + list);
      }
      assertEquals(0, list.size() % 2, () -> "last hint for " + id + " must be false, were " + list);
    });

    long progressFrames = 0;
    for (Map.Entry<RecordingConnection, Set<String>> e : everSubscribed.entrySet()) {
      RecordingConnection c = e.getKey();
      for (String text : c.allFrames()) {
        JsonObject frame = JsonParser.parseString(text).getAsJsonObject();
        if (!frame.get("type").getAsString().equals("progress")) {
          continue;
        }
        progressFrames++;
        String jobId = frame.get("jobId").getAsString();
        assertEquals(c.userId(), frame.get("userId").getAsString(), () -> "frame for another user on " + c.id() + ": " + text);
        assertEquals(owner(jobId), c.userId(), () -> "frame of another user's job on " + c.id() + ": " + text);
        assertTrue(e.getValue().contains(jobId), () -> "frame for a job " + c.id() + " never subscribed: " + text);
      }
    }
    String summary = "seed " + seed + ": " + ops + " operations, " + everSubscribed.size() + " connections, "
        + published.get() + " events published, " + progressFrames + " progress frames delivered";
    System.out.println(summary);
    assertTrue(everSubscribed.size() > THREADS && published.get() > 0 && progressFrames > 0,
        "the run must exercise delivery: " + summary);
    hub.close();
  }
}
