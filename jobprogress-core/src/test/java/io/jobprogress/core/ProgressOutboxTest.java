package io.jobprogress.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ProgressOutbox}'s position per subscribed job, which keeps one job in fields and the others in a
 * map: every job filters on its own position however the jobs come and go between the two places.
 */
class ProgressOutboxTest {
  private final RecordingConnection conn = new RecordingConnection("alice");
  private final ProgressOutbox out = new ProgressOutbox(conn, new InMemorySnapshotStore(), Clock.systemUTC(),
      (task, ms) -> {
        throw new AssertionError("batching is off: nothing is scheduled");
      });

  @Test
  void eachJobFiltersOnItsOwnPositionWhileJobsComeAndGo() {
    out.subscribedFresh("a"); // the first job: kept in fields
    out.subscribedFresh("b"); // the others: in the map
    out.subscribedFresh("c");
    assertTrue(out.offerLive(at("a", 1), null));
    assertTrue(out.offerLive(at("b", 1), null));
    assertTrue(out.offerLive(at("c", 5), null), "a fresh subscription takes the next event, whatever its seq");
    assertFalse(out.offerLive(at("b", 1), null), "not newer than what b sent");
    assertFalse(out.offerLive(at("c", 4), null), "not newer than what c sent");

    out.unsubscribed("a"); // frees the fields while b and c stay in the map
    assertFalse(out.offerLive(at("a", 2), null), "a is no longer subscribed");
    out.subscribedAt("b", "e1", 3); // a resume of a job in the map, while the fields are free
    assertFalse(out.offerLive(at("b", 3), null), "b resumed after seq 3");
    out.subscribedFresh("d"); // a new job takes the free fields
    assertTrue(out.offerLive(at("d", 7), null));
    assertTrue(out.offerLive(at("b", 4), null));
    assertTrue(out.offerLive(at("c", 6), null));
    assertFalse(out.offerLive(at("d", 7), null), "not newer than what d sent");

    out.unsubscribed("b"); // the resumed job leaves no second position behind
    out.unsubscribed("c");
    out.unsubscribed("d");
    for (String job : List.of("a", "b", "c", "d")) {
      assertFalse(out.offerLive(at(job, 100), null), job + " is no longer subscribed");
    }
    out.subscribedFresh("b");
    assertTrue(out.offerLive(at("b", 1), null), "subscribed again: the next event goes, whatever its seq");

    assertEquals(List.of("a 1", "b 1", "c 5", "d 7", "b 4", "c 6", "b 1"), sent());
  }

  @Test
  void closeForgetsEveryJob() {
    out.subscribedFresh("a");
    out.subscribedFresh("b");
    out.close();
    assertFalse(out.offerLive(at("a", 1), null));
    assertFalse(out.offerLive(at("b", 1), null));
    assertEquals(List.of(), sent());
  }

  private static ProgressEvent at(String job, long seq) {
    return ProgressEvent.of(job, "alice", JobStatus.PROCESSING, (int) seq, "working", "step " + seq)
        .withSequence(seq, "e1");
  }

  /** "job seq" of every progress frame sent, in order. */
  private List<String> sent() {
    return conn.allFrames().stream()
        .map(f -> JsonParser.parseString(f).getAsJsonObject())
        .map((JsonObject o) -> o.get("jobId").getAsString() + " " + o.get("seq").getAsLong())
        .toList();
  }
}
