package io.jobprogress.testkit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobprogress.core.Broadcaster;
import io.jobprogress.core.JobStatus;
import io.jobprogress.core.ProgressEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Broadcaster} must show: the compatibility suite a transport runs to prove it
 * keeps the contract written on {@link Broadcaster}.
 *
 * <p><b>How to run it against your transport.</b> Put {@code io.jobprogress:jobprogress-testkit} on your
 * test classpath (with the JUnit Jupiter engine), extend this class in a test, and say how to make a node:
 * <pre>{@code
 * class MyBroadcasterContractTest extends BroadcasterContractTest<MyBroadcaster> {
 *   protected MyBroadcaster newNode() { return new MyBroadcaster(sharedTransportUrl); }
 *   protected boolean isReady(MyBroadcaster node) { return node.subscribed(); } // optional
 * }
 * }</pre>
 * Every test method here then runs against your broadcaster. The suite only calls the {@link Broadcaster}
 * interface; the type parameter lets {@link #isReady} see your own type without a cast.
 *
 * <p><b>Lifecycle.</b> Each test makes its nodes with {@link #newNode()}, starts them, and closes them
 * after the test. Nodes made during one test must share one transport (an event published on one
 * reaches the others); tests may share a backend, job ids are unique per test.
 *
 * @param <B> the broadcaster type under test
 */
public abstract class BroadcasterContractTest<B extends Broadcaster> {
  private final List<B> nodes = new ArrayList<>();

  /** A new, unstarted broadcaster on the transport shared by this test's nodes. */
  protected abstract B newNode();

  /**
   * Whether {@code node}'s interest declarations are live, so an event published now reaches it. The
   * suite waits for this before publishing to a node it expects to receive. Default: at once.
   */
  protected boolean isReady(B node) {
    return true;
  }

  /** A unique job id, so tests on a shared backend never see each other's state. */
  protected String job(String name) {
    return name + "-" + System.nanoTime();
  }

  private B node(List<ProgressEvent> received) {
    B b = newNode();
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
    B nodeA = node(a);
    B nodeB = node(b);
    String job = job("j");
    nodeA.interest(Broadcaster.Scope.JOB, job, true);
    nodeB.interest(Broadcaster.Scope.JOB, job, true);
    nodeA.interest(Broadcaster.Scope.USER, "u1", true);
    nodeB.interest(Broadcaster.Scope.USER, "u1", true);
    awaitReady(List.of(nodeA, nodeB));
    nodeA.publish(ProgressEvent.of(job, "u1", JobStatus.PROCESSING, 10, "s", "m"));
    await().atMost(Duration.ofSeconds(5)).until(() -> a.size() == 1 && b.size() == 1);
    assertEquals(10, b.get(0).progress());
    assertEquals("u1", b.get(0).userId());
  }

  @Test
  void publishAssignsIncreasingSeqWithinOneEpoch() {
    B n = node(new CopyOnWriteArrayList<>());
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
    B n = node(got);
    String job = job("order");
    n.interest(Broadcaster.Scope.JOB, job, true);
    n.interest(Broadcaster.Scope.USER, "u1", true);
    awaitReady(List.of(n));
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
    B n = node(new CopyOnWriteArrayList<>());
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
    B n = node(new CopyOnWriteArrayList<>());
    n.close();
    assertThrows(IllegalStateException.class, () -> n.publish(ProgressEvent.queued(job("c"), "u1")));
  }

  @Test
  void statsNameTheTypeAndConnection() {
    B n = node(new CopyOnWriteArrayList<>());
    assertTrue(n.stats().containsKey("type"), "stats " + n.stats());
    assertTrue(n.stats().containsKey("connected"), "stats " + n.stats());
  }

  private void awaitReady(List<B> ready) {
    await().atMost(Duration.ofSeconds(5)).until(() -> ready.stream().allMatch(this::isReady));
  }
}
