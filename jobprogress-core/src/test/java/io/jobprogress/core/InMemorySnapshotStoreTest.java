package io.jobprogress.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link InMemorySnapshotStore} forgets jobs after the TTL and bounds history. The SnapshotStore contract
 * itself runs in jobprogress-testkit ({@code InMemorySnapshotStoreContractTest}).
 */
class InMemorySnapshotStoreTest {

  /** A clock the test moves by hand. */
  static final class ManualClock extends Clock {
    private volatile Instant now = Instant.parse("2025-11-24T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override public ZoneId getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(ZoneId zone) { return this; }
    @Override public Instant instant() { return now; }
  }

  @Test
  void jobUntouchedForLongerThanTheTtlIsForgottenAndStartsANewEpoch() {
    ManualClock clock = new ManualClock();
    InMemorySnapshotStore store = new InMemorySnapshotStore(10, Duration.ofMinutes(5), clock);
    ProgressEvent first = store.append(ProgressEvent.queued("j", "u"));
    clock.advance(Duration.ofMinutes(5));
    assertEquals(first, store.latest("j").orElseThrow(), "kept up to the ttl");
    clock.advance(Duration.ofMillis(1));
    assertTrue(store.latest("j").isEmpty(), "forgotten after the ttl");
    assertEquals(List.of(), store.history("j", 0), "history is forgotten with the snapshot");
    ProgressEvent again = store.append(ProgressEvent.queued("j", "u"));
    assertEquals(1, again.seq());
    assertNotEquals(first.epoch(), again.epoch(), "a forgotten job comes back in a new epoch");
  }

  @Test
  void everyAppendRestartsTheTtl() {
    ManualClock clock = new ManualClock();
    InMemorySnapshotStore store = new InMemorySnapshotStore(10, Duration.ofMinutes(5), clock);
    store.append(ProgressEvent.queued("j", "u"));
    clock.advance(Duration.ofMinutes(4));
    store.append(ProgressEvent.of("j", "u", JobStatus.PROCESSING, 10, "", ""));
    clock.advance(Duration.ofMinutes(4));
    assertEquals(2, store.latest("j").orElseThrow().seq());
  }

  @Test
  void aTerminalJobForgottenAfterTheTtlMayStartAgain() {
    ManualClock clock = new ManualClock();
    InMemorySnapshotStore store = new InMemorySnapshotStore(10, Duration.ofMinutes(5), clock);
    store.append(ProgressEvent.completed("j", "u", "done"));
    clock.advance(Duration.ofMinutes(6));
    assertEquals(JobStatus.PROCESSING,
        store.append(ProgressEvent.of("j", "u", JobStatus.PROCESSING, 1, "", "")).status());
  }

  @Test
  void historyKeepsOnlyTheLastHistorySizeEvents() {
    InMemorySnapshotStore store = new InMemorySnapshotStore(3, Duration.ofHours(1), Clock.systemUTC());
    for (int i = 1; i <= 10; i++) {
      store.append(ProgressEvent.of("j", "u", JobStatus.PROCESSING, i, "", ""));
    }
    assertEquals(List.of(8L, 9L, 10L), store.history("j", 0).stream().map(ProgressEvent::seq).toList());
    assertEquals(List.of(10L), store.history("j", 9).stream().map(ProgressEvent::seq).toList());
    assertEquals(10, store.latest("j").orElseThrow().seq());
  }

  @Test
  void invalidConstructorArgumentsAreRejectedNamingThem() {
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> new InMemorySnapshotStore(0, Duration.ofHours(1), Clock.systemUTC())).getMessage().contains("historySize"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> new InMemorySnapshotStore(1, Duration.ZERO, Clock.systemUTC())).getMessage().contains("ttl"));
  }
}
