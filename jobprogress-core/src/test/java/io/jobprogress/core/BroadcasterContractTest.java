package io.jobprogress.core;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Broadcaster} must show. An implementation's test extends this class and
 * says how to make a node on a shared transport; nodes made by one test share it.
 */
public abstract class BroadcasterContractTest {
  private final List<Broadcaster> nodes = new ArrayList<>();

  /** A new, unstarted broadcaster on the transport shared by this test's nodes. */
  protected abstract Broadcaster newNode();

  /** A unique job id, so tests on a shared backend never see each other's state. */
  protected String job(String name) {
    return name + "-" + System.nanoTime();
  }

  private Broadcaster node(List<ProgressEvent> received) {
    Broadcaster b = newNode();
    nodes.add(b);
    b.start(received::add);
    return b;
  }

  @AfterEach
  void closeNodes() {
    nodes.forEach(Broadcaster::close);
  }

  @Test
  void publishedEventReachesEveryNodeInterestedInTheJob() {
    List<ProgressEvent> a = new CopyOnWriteArrayList<>();
    List<ProgressEvent> b = new CopyOnWriteArrayList<>();
    Broadcaster nodeA = node(a);
    Broadcaster nodeB = node(b);
    String job = job("j");
    nodeA.interest(Broadcaster.Scope.JOB, job, true);
    nodeB.interest(Broadcaster.Scope.JOB, job, true);
    nodeA.interest(Broadcaster.Scope.USER, "u1", true);
    nodeB.interest(Broadcaster.Scope.USER, "u1", true);
    awaitReady(nodeA, nodeB);
    nodeA.publish(ProgressEvent.of(job, "u1", JobStatus.PROCESSING, 10, "s", "m"));
    await().atMost(Duration.ofSeconds(5)).until(() -> a.size() == 1 && b.size() == 1);
    assertEquals(10, b.get(0).progress());
    assertEquals("u1", b.get(0).userId());
  }

  @Test
  void publishAssignsIncreasingSeqWithinOneEpoch() {
    Broadcaster n = node(new CopyOnWriteArrayList<>());
    String job = job("seq");
    ProgressEvent first = n.publish(ProgressEvent.of(job, "u1", JobStatus.QUEUED, 0, "q", ""));
    ProgressEvent second = n.publish(ProgressEvent.of(job, "u1", JobStatus.PROCESSING, 5, "p", ""));
    assertTrue(first.seq() >= 1, "seq assigned");
    assertEquals(first.seq() + 1, second.seq());
    assertEquals(first.epoch(), second.epoch());
    assertEquals(second, n.store().latest(job).orElseThrow());
  }

  @Test
  void eventsOfOneJobArriveInPublishOrder() {
    List<ProgressEvent> got = new CopyOnWriteArrayList<>();
    Broadcaster n = node(got);
    String job = job("order");
    n.interest(Broadcaster.Scope.JOB, job, true);
    n.interest(Broadcaster.Scope.USER, "u1", true);
    awaitReady(n);
    for (int i = 0; i <= 100; i++) {
      n.publish(ProgressEvent.of(job, "u1", i == 100 ? JobStatus.COMPLETED : JobStatus.PROCESSING, i, "s", ""));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 101);
    for (int i = 0; i <= 100; i++) {
      assertEquals(i, got.get(i).progress());
    }
    assertTrue(got.get(100).isTerminal());
  }

  @Test
  void terminalStateIsNeverOverwrittenByALateUpdate() {
    Broadcaster n = node(new CopyOnWriteArrayList<>());
    String job = job("term");
    n.publish(ProgressEvent.completed(job, "u1", "done"));
    assertThrows(IllegalStateException.class,
        () -> n.publish(ProgressEvent.of(job, "u1", JobStatus.PROCESSING, 50, "late", "")));
    assertEquals(JobStatus.COMPLETED, n.store().latest(job).orElseThrow().status());
    // the broadcaster still works afterwards
    assertEquals(JobStatus.QUEUED,
        n.publish(ProgressEvent.queued(job("next"), "u1")).status());
  }

  @Test
  void closedBroadcasterRefusesToPublish() {
    Broadcaster n = node(new CopyOnWriteArrayList<>());
    n.close();
    assertThrows(IllegalStateException.class, () -> n.publish(ProgressEvent.queued(job("c"), "u1")));
  }

  @Test
  void statsNameTheTypeAndConnection() {
    Broadcaster n = node(new CopyOnWriteArrayList<>());
    assertTrue(n.stats().containsKey("type"), "stats " + n.stats());
    assertTrue(n.stats().containsKey("connected"), "stats " + n.stats());
  }

  /** Waits until the nodes' subscriptions are live; in-memory nodes are ready at once. */
  protected void awaitReady(Broadcaster... nodes) {}
}
