package io.jobprogress.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The v1.1 frames: resuming subscribe, sync, options (batching); subscribed/synced/options/batch encodings. */
class ProtocolCodecV11Test {
  private static final Instant NOW = Instant.parse("2025-11-24T00:15:30.123Z");

  private static JsonObject parse(String json) {
    return JsonParser.parseString(json).getAsJsonObject();
  }

  private static void invalid(String text, ErrorCode expected) {
    ClientFrame.Invalid inv = assertInstanceOf(ClientFrame.Invalid.class, ProtocolCodec.decode(text), text);
    assertEquals(expected, inv.error(), () -> text + " -> " + inv);
    assertFalse(inv.detail().isBlank());
  }

  @Test
  void resumingSubscribeOfTheContractDecodesWithSinceSeqAndEpoch() {
    ClientFrame f = ProtocolCodec.decode("{\"type\":\"subscribe\",\"data\":{\"jobId\":\"J\",\"sinceSeq\":42,\"epoch\":\"9f3a\"}}");
    assertEquals(new ClientFrame.Subscribe("J", 42L, "9f3a"), f);
    assertTrue(((ClientFrame.Subscribe) f).resumes());
    assertEquals(new ClientFrame.Subscribe("J", 0L, "e"),
        ProtocolCodec.decode("{\"type\":\"subscribe\",\"data\":{\"epoch\":\"e\",\"sinceSeq\":0,\"jobId\":\"J\"}}"));
  }

  @Test
  void nullSinceSeqAndEpochReadAsAPlainSubscribe() {
    ClientFrame f = ProtocolCodec.decode("{\"type\":\"subscribe\",\"data\":{\"jobId\":\"J\",\"sinceSeq\":null,\"epoch\":null}}");
    assertEquals(new ClientFrame.Subscribe("J"), f);
    assertFalse(((ClientFrame.Subscribe) f).resumes());
  }

  @Test
  void sinceSeqThatIsNotANonNegativeIntegerIsInvalidSinceSeq() {
    for (String v : List.of("-1", "1.0", "1e2", "\"5\"", "true", "[]", "{}", "12345678901234567890")) {
      invalid("{\"type\":\"subscribe\",\"data\":{\"jobId\":\"J\",\"sinceSeq\":" + v + ",\"epoch\":\"e\"}}",
          ErrorCode.INVALID_SINCE_SEQ);
    }
    invalid("{\"type\":\"subscribe\",\"data\":{\"jobId\":\"J\",\"epoch\":\"e\"}}", ErrorCode.INVALID_SINCE_SEQ);
  }

  @Test
  void epochThatIsNotAShortIdIsInvalidEpoch() {
    for (String v : List.of("\"\"", "3", "\"a/b\"", "\"" + "x".repeat(65) + "\"", "[\"e\"]")) {
      invalid("{\"type\":\"subscribe\",\"data\":{\"jobId\":\"J\",\"sinceSeq\":1,\"epoch\":" + v + "}}",
          ErrorCode.INVALID_EPOCH);
    }
    invalid("{\"type\":\"subscribe\",\"data\":{\"jobId\":\"J\",\"sinceSeq\":1}}", ErrorCode.INVALID_EPOCH);
  }

  @Test
  void unsubscribeIgnoresResumeFields() {
    assertEquals(new ClientFrame.Unsubscribe("J"),
        ProtocolCodec.decode("{\"type\":\"unsubscribe\",\"data\":{\"jobId\":\"J\",\"sinceSeq\":-4}}"));
  }

  @Test
  void syncAndOptionsFramesDecode() {
    assertEquals(new ClientFrame.Sync(), ProtocolCodec.decode("{\"type\":\"sync\"}"));
    assertEquals(new ClientFrame.Options(true, null), ProtocolCodec.decode("{\"type\":\"options\",\"data\":{\"batch\":true}}"));
    assertEquals(new ClientFrame.Options(true, 250L),
        ProtocolCodec.decode("{\"type\":\"options\",\"data\":{\"batch\":true,\"batchWindowMs\":250}}"));
    assertEquals(new ClientFrame.Options(false, null), ProtocolCodec.decode("{\"type\":\"options\",\"data\":{\"batch\":false}}"));
  }

  @Test
  void optionsWithoutABooleanBatchOrWithABadWindowIsInvalidOptions() {
    invalid("{\"type\":\"options\"}", ErrorCode.INVALID_DATA);
    invalid("{\"type\":\"options\",\"data\":{}}", ErrorCode.INVALID_OPTIONS);
    invalid("{\"type\":\"options\",\"data\":{\"batch\":1}}", ErrorCode.INVALID_OPTIONS);
    invalid("{\"type\":\"options\",\"data\":{\"batch\":true,\"batchWindowMs\":0}}", ErrorCode.INVALID_OPTIONS);
    invalid("{\"type\":\"options\",\"data\":{\"batch\":true,\"batchWindowMs\":\"100\"}}", ErrorCode.INVALID_OPTIONS);
  }

  @Test
  void subscribedCarriesRecoveredOnlyWhenGiven() {
    JsonObject plain = parse(ProtocolCodec.subscribed("J", NOW));
    assertEquals(Set.of("type", "jobId", "timestamp"), plain.keySet());
    assertEquals(plain, parse(ProtocolCodec.subscribed("J", null, NOW)));
    JsonObject resumed = parse(ProtocolCodec.subscribed("J", true, NOW));
    assertEquals(Set.of("type", "jobId", "recovered", "timestamp"), resumed.keySet());
    assertTrue(resumed.get("recovered").getAsBoolean());
    assertFalse(parse(ProtocolCodec.subscribed("J", false, NOW)).get("recovered").getAsBoolean());
  }

  @Test
  void syncedCarriesTheCountAndATimestamp() {
    JsonObject o = parse(ProtocolCodec.synced(20, NOW));
    assertEquals(Set.of("type", "count", "timestamp"), o.keySet());
    assertEquals("synced", o.get("type").getAsString());
    assertEquals(20, o.get("count").getAsInt());
    assertEquals("2025-11-24T00:15:30.123Z", o.get("timestamp").getAsString());
  }

  @Test
  void optionsAnswerSaysWhatIsInForce() {
    JsonObject o = parse(ProtocolCodec.options(true, 100, NOW));
    assertEquals(Set.of("type", "batch", "batchWindowMs", "timestamp"), o.keySet());
    assertTrue(o.get("batch").getAsBoolean());
    assertEquals(100, o.get("batchWindowMs").getAsLong());
  }

  @Test
  void batchCarriesEachEventAsExactlyItsProgressFrame() {
    ProgressEvent a = new ProgressEvent("a", "u", JobStatus.PROCESSING, 5, "s", "quote \" and \\", NOW, 3, "e1");
    ProgressEvent b = new ProgressEvent("b", "u", JobStatus.COMPLETED, 100, "", "", NOW, 9, "e2");
    JsonObject o = parse(ProtocolCodec.batch(List.of(a, b), NOW));
    assertEquals(Set.of("type", "events", "timestamp"), o.keySet());
    assertEquals(parse(ProtocolCodec.progress(a)), o.getAsJsonArray("events").get(0));
    assertEquals(parse(ProtocolCodec.progress(b)), o.getAsJsonArray("events").get(1));
  }

  @Test
  void aProgressFrameCarriesItsSeqAndEpochForTheSendQueue() {
    OutboundFrame f = ProtocolCodec.progressFrame(new ProgressEvent("a", "u", JobStatus.PROCESSING, 5, "", "", NOW, 3, "e1"));
    assertEquals(3, f.seq());
    assertEquals("e1", f.epoch());
    assertFalse(f.supersededBy(ProtocolCodec.progressFrame(
        new ProgressEvent("a", "u", JobStatus.PROCESSING, 4, "", "", NOW, 2, "e1"))));
    assertTrue(f.supersededBy(ProtocolCodec.progressFrame(
        new ProgressEvent("a", "u", JobStatus.PROCESSING, 6, "", "", NOW, 4, "e1"))));
  }
}
