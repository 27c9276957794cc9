package io.jobprogress.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Validation of {@link ProgressEvent}: every error names the field and the bad value. */
class ProgressEventTest {
  private static final Instant T = Instant.parse("2025-11-24T00:15:30.123Z");

  private static ProgressEvent event(String jobId, String userId, int progress, String stage, String message,
      long seq) {
    return new ProgressEvent(jobId, userId, JobStatus.PROCESSING, progress, stage, message, T, seq, null);
  }

  private static String rejected(String jobId, String userId, int progress, String stage, String message, long seq) {
    return assertThrows(IllegalArgumentException.class,
        () -> event(jobId, userId, progress, stage, message, seq)).getMessage();
  }

  private static void assertMentions(String message, String... parts) {
    for (String p : parts) {
      assertTrue(message.contains(p), () -> "expected \"" + p + "\" in: " + message);
    }
  }

  @Test
  void idsOfOneTo128AllowedCharactersAreAccepted() {
    String all = "azAZ09._:-";
    assertEquals(all, event(all, "u", 0, "", "", 0).jobId());
    assertEquals("x".repeat(128), event("x".repeat(128), "u", 0, "", "", 0).jobId());
    assertEquals("1", event("j", "1", 0, "", "", 0).userId());
  }

  @Test
  void jobIdWithAGlobCharacterIsRejectedNamingFieldAndValue() {
    for (String glob : new String[] {"job:*", "job?", "job[1]", "a]"}) {
      assertMentions(rejected(glob, "u", 0, "", "", 0), "jobId", "\"" + glob + "\"");
    }
  }

  @Test
  void emptyTooLongOrNullIdsAreRejectedNamingFieldAndValue() {
    assertMentions(rejected("", "u", 0, "", "", 0), "jobId", "\"\"");
    assertMentions(rejected(null, "u", 0, "", "", 0), "jobId", "null");
    assertMentions(rejected("x".repeat(129), "u", 0, "", "", 0), "jobId", "xxxx", "129 chars");
    assertMentions(rejected("j", "user 1", 0, "", "", 0), "userId", "\"user 1\"");
    assertMentions(rejected("j", "ü", 0, "", "", 0), "userId", "\"ü\"");
    assertMentions(rejected("j", null, 0, "", "", 0), "userId", "null");
  }

  @Test
  void progressOutside0To100IsRejectedNamingTheValue() {
    assertEquals(0, event("j", "u", 0, "", "", 0).progress());
    assertEquals(100, event("j", "u", 100, "", "", 0).progress());
    assertEquals("progress must be 0..100, was 140", rejected("j", "u", 140, "", "", 0));
    assertEquals("progress must be 0..100, was -1", rejected("j", "u", -1, "", "", 0));
  }

  @Test
  void stageLongerThan64CharactersIsRejectedNamingFieldAndLength() {
    assertEquals(64, event("j", "u", 1, "s".repeat(64), "", 0).stage().length());
    assertMentions(rejected("j", "u", 1, "s".repeat(65), "", 0), "stage", "64", "65", "ssss");
  }

  @Test
  void messageLongerThan1024CharactersIsRejectedNamingFieldAndLength() {
    assertEquals(1024, event("j", "u", 1, "", "m".repeat(1024), 0).message().length());
    assertMentions(rejected("j", "u", 1, "", "m".repeat(1025), 0), "message", "1024", "1025");
  }

  @Test
  void negativeSeqIsRejectedNamingTheValue() {
    assertEquals("seq must be >= 0, was -3", rejected("j", "u", 1, "", "", -3));
  }

  @Test
  void nullStatusOrTimestampIsRejectedNamingTheField() {
    assertMentions(assertThrows(NullPointerException.class,
        () -> new ProgressEvent("j", "u", null, 1, "", "", T, 0, null)).getMessage(), "status");
    assertMentions(assertThrows(NullPointerException.class,
        () -> new ProgressEvent("j", "u", JobStatus.QUEUED, 1, "", "", null, 0, null)).getMessage(), "timestamp");
  }

  @Test
  void emptyOrOverlongEpochIsRejectedNamingTheField() {
    assertMentions(assertThrows(IllegalArgumentException.class,
        () -> new ProgressEvent("j", "u", JobStatus.QUEUED, 1, "", "", T, 1, "")).getMessage(), "epoch");
    assertMentions(assertThrows(IllegalArgumentException.class,
        () -> new ProgressEvent("j", "u", JobStatus.QUEUED, 1, "", "", T, 1, "e".repeat(65))).getMessage(), "epoch");
  }

  @Test
  void nullStageAndMessageBecomeEmpty() {
    ProgressEvent e = event("j", "u", 1, null, null, 0);
    assertEquals("", e.stage());
    assertEquals("", e.message());
  }

  @Test
  void factoriesFillStatusProgressAndLeaveSeqUnassigned() {
    ProgressEvent q = ProgressEvent.queued("j", "u");
    assertEquals(JobStatus.QUEUED, q.status());
    assertEquals(0, q.progress());
    assertEquals(0, q.seq());
    assertNull(q.epoch());
    assertNotNull(q.timestamp());
    ProgressEvent c = ProgressEvent.completed("j", "u", "done");
    assertEquals(JobStatus.COMPLETED, c.status());
    assertEquals(100, c.progress());
    assertEquals("done", c.message());
    ProgressEvent f = ProgressEvent.failed("j", "u", 37, "boom");
    assertEquals(JobStatus.FAILED, f.status());
    assertEquals(37, f.progress());
    assertEquals("boom", f.message());
  }

  @Test
  void withSequenceKeepsEverythingElse() {
    ProgressEvent e = event("j", "u", 5, "s", "m", 0);
    ProgressEvent s = e.withSequence(9, "ep");
    assertEquals(9, s.seq());
    assertEquals("ep", s.epoch());
    assertEquals(e, s.withSequence(0, null));
  }

  @Test
  void isTerminalFollowsTheStatus() {
    assertFalse(ProgressEvent.queued("j", "u").isTerminal());
    assertFalse(event("j", "u", 5, "", "", 0).isTerminal());
    assertTrue(ProgressEvent.completed("j", "u", "").isTerminal());
    assertTrue(ProgressEvent.failed("j", "u", 5, "").isTerminal());
    assertTrue(ProgressEvent.of("j", "u", JobStatus.CANCELLED, 5, "", "").isTerminal());
  }
}
