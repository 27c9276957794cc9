package io.jobprogress.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** {@link ConnectionRegistry}: bookkeeping, limits, interest hints and the documented stats shape. */
class ConnectionRegistryTest {
  private final List<String> hints = new CopyOnWriteArrayList<>();
  private final ConnectionRegistry<ClientConnection> registry =
      ConnectionRegistry.ofConnections((scope, id, interested) -> hints.add(scope + " " + id + " " + interested));

  @Test
  void addedConnectionIsListedUnderItsUserAndRemovedAgain() {
    RecordingConnection a = new RecordingConnection("alice");
    assertTrue(registry.add(a, 10));
    assertFalse(registry.add(a, 10), "adding the same connection twice does nothing");
    assertEquals(Set.of(a), registry.connectionsOf("alice"));
    assertEquals(List.of(a), List.copyOf(registry.all()));
    assertFalse(registry.isEmpty());
    registry.remove(a);
    registry.remove(a);
    assertTrue(registry.connectionsOf("alice").isEmpty());
    assertTrue(registry.isEmpty());
  }

  @Test
  void subscribeAndUnsubscribeTrackTheJobsSubscribers() {
    RecordingConnection a = new RecordingConnection("alice");
    RecordingConnection b = new RecordingConnection("alice");
    registry.add(a, 10);
    registry.add(b, 10);
    assertEquals(ConnectionRegistry.SubscribeResult.ADDED, registry.subscribe(a, "j1"));
    assertEquals(ConnectionRegistry.SubscribeResult.ALREADY, registry.subscribe(a, "j1"));
    assertEquals(ConnectionRegistry.SubscribeResult.ADDED, registry.subscribe(b, "j1"));
    assertEquals(Set.of(a, b), registry.subscribers("j1"));
    assertEquals(Set.of("j1"), registry.subscriptionsOf(a));
    assertEquals(1, registry.subscriptionCount(a));
    assertTrue(registry.unsubscribe(a, "j1"));
    assertFalse(registry.unsubscribe(a, "j1"));
    assertEquals(Set.of(b), registry.subscribers("j1"));
    assertEquals(0, registry.subscriptionCount(a));
    registry.remove(b);
    assertTrue(registry.subscribers("j1").isEmpty());
    assertEquals(Set.of(), registry.subscribedJobs());
  }

  @Test
  void removingAConnectionDropsAllItsSubscriptions() {
    RecordingConnection a = new RecordingConnection("alice");
    registry.add(a, 10);
    registry.subscribe(a, "j1");
    registry.subscribe(a, "j2");
    assertEquals(Set.of("j1", "j2"), registry.subscribedJobs());
    registry.remove(a);
    assertTrue(registry.subscribers("j1").isEmpty());
    assertTrue(registry.subscribers("j2").isEmpty());
    assertTrue(registry.isEmpty());
  }

  @Test
  void connectionLimitPerUserRefusesTheNextConnectionOnly() {
    RecordingConnection a1 = new RecordingConnection("alice");
    RecordingConnection a2 = new RecordingConnection("alice");
    RecordingConnection a3 = new RecordingConnection("alice");
    RecordingConnection bob = new RecordingConnection("bob");
    assertTrue(registry.add(a1, 2));
    assertTrue(registry.add(a2, 2));
    assertFalse(registry.add(a3, 2));
    assertTrue(registry.add(bob, 2), "another user is not affected");
    assertEquals(Set.of(a1, a2), registry.connectionsOf("alice"));
    registry.remove(a1);
    assertTrue(registry.add(a3, 2), "a freed slot can be used again");
  }

  @Test
  void anUnsubscribedJobCanBeSubscribedAgain() {
    RecordingConnection a = new RecordingConnection("alice");
    registry.add(a, 10);
    assertEquals(ConnectionRegistry.SubscribeResult.ADDED, registry.subscribe(a, "j1"));
    assertTrue(registry.unsubscribe(a, "j1"));
    assertTrue(registry.subscribers("j1").isEmpty());
    assertEquals(ConnectionRegistry.SubscribeResult.ADDED, registry.subscribe(a, "j1"));
    assertEquals(Set.of(a), registry.subscribers("j1"));
  }

  @Test
  void unregisteredConnectionCannotSubscribe() {
    RecordingConnection ghost = new RecordingConnection("alice");
    assertEquals(ConnectionRegistry.SubscribeResult.NOT_REGISTERED, registry.subscribe(ghost, "j1"));
    assertFalse(registry.unsubscribe(ghost, "j1"));
    assertTrue(registry.isEmpty());
    assertTrue(hints.isEmpty(), "no hints for a refused subscription: " + hints);
  }

  @Test
  void interestHintsComeOnFirstAndLastOnlyInOrder() {
    RecordingConnection a1 = new RecordingConnection("alice");
    RecordingConnection a2 = new RecordingConnection("alice");
    registry.add(a1, 10);
    registry.add(a2, 10);
    registry.subscribe(a1, "j1");
    registry.subscribe(a2, "j1");
    registry.unsubscribe(a1, "j1");
    registry.remove(a2);
    registry.remove(a1);
    assertEquals(List.of("USER alice true", "JOB j1 true", "JOB j1 false", "USER alice false"), hints);
  }

  @Test
  void refusedFirstConnectionLeavesNoInterestBehind() {
    assertFalse(registry.add(new RecordingConnection("alice"), 0));
    assertEquals(List.of("USER alice true", "USER alice false"), hints);
    assertTrue(registry.isEmpty());
  }

  @Test
  void statsHaveTheDocumentedShapeSortedByUser() {
    registry.add(new RecordingConnection("user-2"), 10);
    registry.add(new RecordingConnection("user-1"), 10);
    registry.add(new RecordingConnection("user-1"), 10);
    RegistryStats stats = registry.stats();
    assertEquals(2, stats.totalUsers());
    assertEquals(3, stats.totalClients());
    assertEquals(List.of(new RegistryStats.UserConnections("user-1", 2), new RegistryStats.UserConnections("user-2", 1)),
        stats.clientsByUser());
    assertEquals("{\"totalUsers\":2,\"totalClients\":3,\"clientsByUser\":[{\"userId\":\"user-1\",\"connections\":2},"
        + "{\"userId\":\"user-2\",\"connections\":1}]}", stats.toJson());
  }

  @Test
  void statsOfAnEmptyRegistryAreZero() {
    assertEquals(new RegistryStats(0, 0, List.of()), registry.stats());
    assertEquals("{\"totalUsers\":0,\"totalClients\":0,\"clientsByUser\":[]}", registry.stats().toJson());
  }

  /**
   * Four threads subscribe, unsubscribe, remove and re-add 40 connections over 8 shared jobs while a fifth
   * walks the delivery arrays, as the hub's delivery does. The walker never sees a connection twice in
   * one array; at the end every job's array holds exactly the connections whose subscriptions name it,
   * and each job's interest hints alternate true, false, true ... (first and last subscriber, in order).
   */
  @Test
  void concurrentChangesKeepEveryJobsSubscribersExactAndHintsInOrder() throws Exception {
    List<RecordingConnection> conns = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      conns.add(new RecordingConnection("user-" + i % 5));
    }
    String[] jobs = {"j0", "j1", "j2", "j3", "j4", "j5", "j6", "j7"};
    AtomicBoolean done = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(5);
    try {
      CountDownLatch start = new CountDownLatch(1);
      Future<Integer> walker = pool.submit(() -> {
        start.await();
        int walks = 0;
        while (!done.get()) {
          for (String job : jobs) {
            ClientConnection[] subs = registry.subscriberArray(job);
            Set<ClientConnection> seen = new HashSet<>(Arrays.asList(subs));
            assertEquals(subs.length, seen.size(), "a connection appears twice among " + job + "'s subscribers");
            walks++;
          }
        }
        return walks;
      });
      List<Future<?>> writers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        writers.add(pool.submit(() -> {
          start.await();
          ThreadLocalRandom r = ThreadLocalRandom.current();
          for (int i = 0; i < 20_000; i++) {
            RecordingConnection c = conns.get(r.nextInt(conns.size()));
            String job = jobs[r.nextInt(jobs.length)];
            switch (r.nextInt(10)) {
              case 0 -> registry.remove(c);
              case 1, 2 -> registry.add(c, 100);
              case 3, 4, 5 -> registry.unsubscribe(c, job);
              default -> registry.subscribe(c, job);
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> w : writers) {
        w.get(60, TimeUnit.SECONDS);
      }
      done.set(true);
      assertTrue(walker.get(60, TimeUnit.SECONDS) > 0, "the walker ran");
    } finally {
      pool.shutdownNow();
    }
    for (String job : jobs) {
      Set<ClientConnection> expected = new HashSet<>();
      for (RecordingConnection c : conns) {
        if (registry.subscriptionsOf(c).contains(job)) {
          expected.add(c);
        }
      }
      assertEquals(expected, new HashSet<>(Arrays.asList(registry.subscriberArray(job))), job);
      assertEquals(expected, registry.subscribers(job), job);
      assertEquals(expected.size(), registry.subscriberCount(job), job);
    }
    Map<String, Boolean> last = new HashMap<>();
    for (String hint : hints) {
      String[] h = hint.split(" ");
      String key = h[0] + " " + h[1];
      boolean interested = Boolean.parseBoolean(h[2]);
      assertEquals(!interested, last.getOrDefault(key, false), "hints for " + key + " alternate: " + hint);
      last.put(key, interested);
    }
    for (String job : jobs) {
      assertEquals(registry.subscriberCount(job) > 0, last.getOrDefault("JOB " + job, false),
          "the last hint for " + job + " says whether it has subscribers");
    }
  }
}
