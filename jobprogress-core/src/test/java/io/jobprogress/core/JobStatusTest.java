package io.jobprogress.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link JobStatus}: wire names, terminal states and parsing errors. */
class JobStatusTest {

  @Test
  void wireNamesAreTheLowerCaseNames() {
    assertEquals("queued", JobStatus.QUEUED.wireName());
    assertEquals("processing", JobStatus.PROCESSING.wireName());
    assertEquals("completed", JobStatus.COMPLETED.wireName());
    assertEquals("failed", JobStatus.FAILED.wireName());
    assertEquals("cancelled", JobStatus.CANCELLED.wireName());
  }

  @Test
  void onlyCompletedFailedAndCancelledAreTerminal() {
    assertFalse(JobStatus.QUEUED.isTerminal());
    assertFalse(JobStatus.PROCESSING.isTerminal());
    assertTrue(JobStatus.COMPLETED.isTerminal());
    assertTrue(JobStatus.FAILED.isTerminal());
    assertTrue(JobStatus.CANCELLED.isTerminal());
  }

  @Test
  void fromWireParsesEveryWireNameCaseInsensitively() {
    for (JobStatus s : JobStatus.values()) {
      assertEquals(s, JobStatus.fromWire(s.wireName()));
      assertEquals(s, JobStatus.fromWire(s.name()));
    }
    assertEquals(JobStatus.PROCESSING, JobStatus.fromWire("Processing"));
  }

  @Test
  void fromWireOfAnUnknownValueNamesTheFieldAndTheValue() {
    String msg = assertThrows(IllegalArgumentException.class, () -> JobStatus.fromWire("running")).getMessage();
    assertTrue(msg.contains("status") && msg.contains("\"running\"") && msg.contains("queued"), msg);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> JobStatus.fromWire(null)).getMessage()
        .contains("null"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> JobStatus.fromWire("")).getMessage()
        .contains("\"\""));
  }
}
