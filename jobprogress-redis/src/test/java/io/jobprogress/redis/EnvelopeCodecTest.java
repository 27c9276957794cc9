package io.jobprogress.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobprogress.core.JobStatus;
import io.jobprogress.core.ProgressEvent;
import io.jobprogress.core.ProgressFrames;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The Redis payload: its bytes, its round trip, and what it refuses. */
class EnvelopeCodecTest {
  private static final ProgressEvent E = new ProgressEvent("job-1", "u1", JobStatus.PROCESSING, 45, "inference",
      "a \"quoted\"\nmessage \u2028 \\ done", Instant.parse("2026-01-02T03:04:05.678Z"), 7, "e1");

  @Test
  void thePayloadIsTheBrowsersProgressFrameWithTheNodeIdAppended() {
    String frame = ProgressFrames.progress(E);
    assertEquals(frame.substring(0, frame.length() - 1) + ",\"nodeId\":\"node-a\"}", EnvelopeCodec.encode(E, "node-a"));
  }

  @Test
  void aPayloadDecodesToTheSameEvent() {
    assertEquals(E, EnvelopeCodec.decode(EnvelopeCodec.encode(E, "node-a")));
  }

  @Test
  void theHeadEndsWhereTheScriptAppendsTheSeq() {
    String head = EnvelopeCodec.head(E);
    assertTrue(head.endsWith(",\"seq\":"), head);
    assertEquals(EnvelopeCodec.encode(E, "n"), head + "7,\"epoch\":\"e1" + EnvelopeCodec.tail("n"));
  }

  @Test
  void aPayloadWithPlainTextIsReadWithoutGsonAndOneWithEscapesWithIt() {
    ProgressEvent plain = new ProgressEvent("job-1", "u1", JobStatus.PROCESSING, 45, "inference", "step 3 of 7",
        Instant.parse("2026-01-02T03:04:05.678Z"), 123_456_789_012L, "8ac301");
    String payload = EnvelopeCodec.encode(plain, "node-a");
    assertTrue(EnvelopeCodec.readsWithoutGson(payload), payload);
    assertEquals(plain, EnvelopeCodec.decode(payload));
    String escaped = EnvelopeCodec.encode(E, "node-a");
    assertFalse(EnvelopeCodec.readsWithoutGson(escaped), escaped);
    assertEquals(E, EnvelopeCodec.decode(escaped));
  }

  @Test
  void aPayloadThatIsNotAProgressEventIsRefusedWithTheReason() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EnvelopeCodec.decode("{\"type\":\"progress\",\"jobId\":\"j\",\"status\":\"processing\",\"progress\":1}"));
    assertEquals("userId is missing", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> EnvelopeCodec.decode("[1]"));
  }
}
