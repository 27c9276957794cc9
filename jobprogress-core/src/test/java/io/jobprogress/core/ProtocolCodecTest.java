package io.jobprogress.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** One named test per decode error and per valid client frame, and the exact shape of every server frame. */
class ProtocolCodecTest {
  private static final Instant NOW = Instant.parse("2025-11-24T00:15:30.123Z");
  private static final Pattern ISO_MILLIS = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");

  private static ClientFrame.Invalid invalid(String text, ErrorCode expected) {
    ClientFrame f = ProtocolCodec.decode(text);
    ClientFrame.Invalid inv = assertInstanceOf(ClientFrame.Invalid.class, f, () -> "decoded " + text);
    assertEquals(expected, inv.error(), () -> "decoded " + text + " -> " + inv);
    assertFalse(inv.detail().isBlank(), "detail must be human-readable text");
    return inv;
  }

  private static JsonObject parse(String json) {
    return JsonParser.parseString(json).getAsJsonObject();
  }

  private static Set<String> fields(JsonObject o) {
    return new TreeSet<>(o.keySet());
  }

  // ------------------------------------------------------------ decode: errors

  @Test
  void malformedJsonIsInvalidJson() {
    invalid("{\"type\":\"ping\"", ErrorCode.INVALID_JSON);
    invalid("{type:ping}", ErrorCode.INVALID_JSON);
    invalid("", ErrorCode.INVALID_JSON);
    invalid(null, ErrorCode.INVALID_JSON);
  }

  @Test
  void trailingGarbageAfterAValidFrameIsInvalidJson() {
    invalid("{\"type\":\"ping\"} x", ErrorCode.INVALID_JSON);
    invalid("{\"type\":\"ping\"}{\"type\":\"ping\"}", ErrorCode.INVALID_JSON);
  }

  @Test
  void jsonThatIsNotAnObjectIsNotAnObject() {
    invalid("[]", ErrorCode.NOT_AN_OBJECT);
    invalid("\"ping\"", ErrorCode.NOT_AN_OBJECT);
    invalid("42", ErrorCode.NOT_AN_OBJECT);
    invalid("null", ErrorCode.NOT_AN_OBJECT);
    invalid("1e999999", ErrorCode.NOT_AN_OBJECT);
  }

  @Test
  void absentTypeIsMissingType() {
    invalid("{}", ErrorCode.MISSING_TYPE);
    invalid("{\"data\":{\"jobId\":\"j\"}}", ErrorCode.MISSING_TYPE);
  }

  @Test
  void nonStringTypeIsMissingType() {
    invalid("{\"type\":1}", ErrorCode.MISSING_TYPE);
    invalid("{\"type\":null}", ErrorCode.MISSING_TYPE);
    invalid("{\"type\":[\"ping\"]}", ErrorCode.MISSING_TYPE);
    invalid("{\"type\":{\"ping\":1}}", ErrorCode.MISSING_TYPE);
    invalid("{\"type\":\"ping\",\"type\":true}", ErrorCode.MISSING_TYPE);
  }

  @Test
  void unknownTypeIsUnknownType() {
    invalid("{\"type\":\"subscribe-all\"}", ErrorCode.UNKNOWN_TYPE);
    invalid("{\"type\":\"PING\"}", ErrorCode.UNKNOWN_TYPE);
    invalid("{\"type\":\"\"}", ErrorCode.UNKNOWN_TYPE);
  }

  @Test
  void subscribeWithoutDataIsInvalidData() {
    invalid("{\"type\":\"subscribe\"}", ErrorCode.INVALID_DATA);
    invalid("{\"type\":\"unsubscribe\"}", ErrorCode.INVALID_DATA);
  }

  @Test
  void dataThatIsNotAnObjectIsInvalidData() {
    invalid("{\"type\":\"subscribe\",\"data\":\"j\"}", ErrorCode.INVALID_DATA);
    invalid("{\"type\":\"subscribe\",\"data\":null}", ErrorCode.INVALID_DATA);
    invalid("{\"type\":\"unsubscribe\",\"data\":[\"j\"]}", ErrorCode.INVALID_DATA);
    invalid("{\"type\":\"refresh\",\"data\":\"tok\"}", ErrorCode.INVALID_DATA);
    invalid("{\"type\":\"auth\"}", ErrorCode.INVALID_DATA);
  }

  @Test
  void dataWithoutJobIdIsMissingJobId() {
    invalid("{\"type\":\"subscribe\",\"data\":{}}", ErrorCode.MISSING_JOB_ID);
    invalid("{\"type\":\"unsubscribe\",\"data\":{\"job\":\"j\"}}", ErrorCode.MISSING_JOB_ID);
  }

  @Test
  void jobIdOfTheWrongTypeIsInvalidJobId() {
    invalid("{\"type\":\"subscribe\",\"data\":{\"jobId\":42}}", ErrorCode.INVALID_JOB_ID);
    invalid("{\"type\":\"subscribe\",\"data\":{\"jobId\":null}}", ErrorCode.INVALID_JOB_ID);
    invalid("{\"type\":\"subscribe\",\"data\":{\"jobId\":[\"j\"]}}", ErrorCode.INVALID_JOB_ID);
  }

  @Test
  void jobIdWithGlobOrOtherBadCharactersIsInvalidJobId() {
    for (String bad : new String[] {"job:*", "job?", "job[1]", "a b", "j/1", "jöb", "", "j\\u0000"}) {
      invalid("{\"type\":\"subscribe\",\"data\":{\"jobId\":\"" + bad + "\"}}", ErrorCode.INVALID_JOB_ID);
    }
  }

  @Test
  void jobIdLongerThan128CharactersIsInvalidJobId() {
    String ok = "j".repeat(128);
    assertEquals(new ClientFrame.Subscribe(ok),
        ProtocolCodec.decode("{\"type\":\"subscribe\",\"data\":{\"jobId\":\"" + ok + "\"}}"));
    invalid("{\"type\":\"subscribe\",\"data\":{\"jobId\":\"" + ok + "j\"}}", ErrorCode.INVALID_JOB_ID);
  }

  @Test
  void refreshWithoutTokenIsMissingToken() {
    invalid("{\"type\":\"refresh\",\"data\":{}}", ErrorCode.MISSING_TOKEN);
    invalid("{\"type\":\"refresh\",\"data\":{\"token\":\"\"}}", ErrorCode.MISSING_TOKEN);
    invalid("{\"type\":\"refresh\",\"data\":{\"token\":7}}", ErrorCode.MISSING_TOKEN);
    invalid("{\"type\":\"auth\",\"data\":{}}", ErrorCode.MISSING_TOKEN);
  }

  @Test
  void deepNestingIsTooComplex() {
    invalid("[".repeat(100_000), ErrorCode.TOO_COMPLEX);
    invalid("{\"type\":\"ping\",\"x\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}", ErrorCode.TOO_COMPLEX);
    invalid("{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000), ErrorCode.TOO_COMPLEX);
    String justDeepEnough = "[".repeat(ProtocolCodec.MAX_NESTING - 1) + "]".repeat(ProtocolCodec.MAX_NESTING - 1);
    assertEquals(new ClientFrame.Ping(), ProtocolCodec.decode("{\"type\":\"ping\",\"x\":" + justDeepEnough + "}"));
  }

  @Test
  void invalidDetailsNeverContainTheToken() {
    ClientFrame f = ProtocolCodec.decode("{\"type\":\"refresh\",\"data\":{\"token\":\"secret-tok\"}");
    assertFalse(f.toString().contains("secret-tok"), f.toString());
    assertFalse(new ClientFrame.Refresh("secret-tok").toString().contains("secret-tok"));
  }

  // ------------------------------------------------------------ decode: valid frames

  @Test
  void subscribeFrameOfTheContractDecodes() {
    assertEquals(new ClientFrame.Subscribe("550e8400-e29b-41d4-a716-446655440000"), ProtocolCodec.decode(
        "{\n  \"type\": \"subscribe\",\n  \"data\": {\n    \"jobId\": \"550e8400-e29b-41d4-a716-446655440000\"\n  }\n}"));
  }

  @Test
  void unsubscribeFrameOfTheContractDecodes() {
    assertEquals(new ClientFrame.Unsubscribe("J"),
        ProtocolCodec.decode("{\"type\":\"unsubscribe\",\"data\":{\"jobId\":\"J\"}}"));
  }

  @Test
  void pingFrameOfTheContractDecodes() {
    assertEquals(new ClientFrame.Ping(), ProtocolCodec.decode("{\"type\":\"ping\"}"));
    assertEquals(new ClientFrame.Ping(), ProtocolCodec.decode(" { \"type\" : \"ping\" } "));
  }

  @Test
  void refreshAndItsAliasAuthDecodeToARefreshWithTheirToken() {
    assertEquals(new ClientFrame.Refresh("a.b.c"), ProtocolCodec.decode("{\"type\":\"refresh\",\"data\":{\"token\":\"a.b.c\"}}"));
    assertEquals(new ClientFrame.Refresh("a.b.c"), ProtocolCodec.decode("{\"type\":\"auth\",\"data\":{\"token\":\"a.b.c\"}}"));
  }

  @Test
  void unknownFieldsAndFieldOrderDoNotMatter() {
    assertEquals(new ClientFrame.Subscribe("j-1"), ProtocolCodec.decode(
        "{\"data\":{\"extra\":[1,{\"x\":null}],\"jobId\":\"j-1\"},\"id\":99999999999999999999999,\"type\":\"subscribe\"}"));
    assertEquals(new ClientFrame.Ping(), ProtocolCodec.decode("{\"type\":\"ping\",\"data\":\"ignored\",\"n\":1e999999}"));
  }

  // ------------------------------------------------------------ encode

  @Test
  void timestampIsIsoUtcWithMilliseconds() {
    assertEquals("2025-11-24T00:15:30.123Z", ProtocolCodec.timestamp(NOW));
    assertEquals("2025-11-24T00:15:30.000Z", ProtocolCodec.timestamp(Instant.parse("2025-11-24T00:15:30Z")));
    assertEquals("1970-01-01T00:00:00.001Z", ProtocolCodec.timestamp(Instant.ofEpochMilli(1)));
    assertTrue(ISO_MILLIS.matcher(ProtocolCodec.timestamp(Instant.now())).matches());
  }

  @Test
  void connectedFrameHasTheContractMessage() {
    JsonObject o = parse(ProtocolCodec.connected("user-123", "c1", NOW.plusSeconds(60), NOW));
    assertEquals(Set.of("type", "message", "userId", "connectionId", "expiresAt", "timestamp"), fields(o));
    assertEquals("connected", o.get("type").getAsString());
    assertEquals("Connected to live updates", o.get("message").getAsString());
    assertEquals("user-123", o.get("userId").getAsString());
    assertEquals("c1", o.get("connectionId").getAsString());
    assertEquals("2025-11-24T00:16:30.123Z", o.get("expiresAt").getAsString());
    assertEquals("2025-11-24T00:15:30.123Z", o.get("timestamp").getAsString());
    assertFalse(parse(ProtocolCodec.connected("u", "c", null, NOW)).has("expiresAt"));
  }

  @Test
  void subscribedUnsubscribedAndPongFramesHaveTypeJobIdAndTimestamp() {
    JsonObject sub = parse(ProtocolCodec.subscribed("J", NOW));
    assertEquals(Set.of("type", "jobId", "timestamp"), fields(sub));
    assertEquals("subscribed", sub.get("type").getAsString());
    assertEquals("J", sub.get("jobId").getAsString());
    JsonObject unsub = parse(ProtocolCodec.unsubscribed("J", NOW));
    assertEquals(Set.of("type", "jobId", "timestamp"), fields(unsub));
    assertEquals("unsubscribed", unsub.get("type").getAsString());
    JsonObject pong = parse(ProtocolCodec.pong(NOW));
    assertEquals(Set.of("type", "timestamp"), fields(pong));
    assertEquals("pong", pong.get("type").getAsString());
    assertEquals("2025-11-24T00:15:30.123Z", pong.get("timestamp").getAsString());
  }

  @Test
  void errorFrameCarriesTheHumanTextAndTheCode() {
    JsonObject o = parse(ProtocolCodec.error(ErrorCode.FORBIDDEN, "J", NOW));
    assertEquals(Set.of("type", "error", "code", "jobId", "timestamp"), fields(o));
    assertEquals("error", o.get("type").getAsString());
    assertEquals("Job not found or access denied", o.get("error").getAsString());
    assertEquals("forbidden", o.get("code").getAsString());
    assertEquals("J", o.get("jobId").getAsString());
    JsonObject noJob = parse(ProtocolCodec.error(ErrorCode.INVALID_JSON, null, NOW));
    assertEquals(Set.of("type", "error", "code", "timestamp"), fields(noJob));
    assertEquals("Invalid message format", noJob.get("error").getAsString());
  }

  @Test
  void everyErrorCodeHasADistinctSnakeCaseCodeAndText() {
    Set<String> codes = new TreeSet<>();
    for (ErrorCode c : ErrorCode.values()) {
      assertTrue(c.code().matches("[a-z_]+"), c.code());
      assertFalse(c.text().isBlank());
      assertTrue(codes.add(c.code()), "duplicate " + c.code());
    }
  }

  @Test
  void tokenFramesCarryTheExpiry() {
    JsonObject expiring = parse(ProtocolCodec.tokenExpiring(NOW.plusSeconds(5), NOW));
    assertEquals(Set.of("type", "expiresAt", "timestamp"), fields(expiring));
    assertEquals("token_expiring", expiring.get("type").getAsString());
    assertEquals("2025-11-24T00:15:35.123Z", expiring.get("expiresAt").getAsString());
    JsonObject refreshed = parse(ProtocolCodec.tokenRefreshed(NOW.plusSeconds(3600), NOW));
    assertEquals("token_refreshed", refreshed.get("type").getAsString());
    assertEquals("2025-11-24T01:15:30.123Z", refreshed.get("expiresAt").getAsString());
  }

  @Test
  void progressFrameHasExactlyTheContractFieldsPlusSeqAndEpoch() {
    ProgressEvent e = new ProgressEvent("550e8400", "user-123", JobStatus.PROCESSING, 45, "inference",
        "Running model inference...", NOW, 7, "ep1");
    JsonObject o = parse(ProtocolCodec.progress(e));
    assertEquals(Set.of("type", "jobId", "userId", "status", "progress", "stage", "message", "timestamp", "seq",
        "epoch"), fields(o));
    assertEquals("progress", o.get("type").getAsString());
    assertEquals("550e8400", o.get("jobId").getAsString());
    assertEquals("user-123", o.get("userId").getAsString());
    assertEquals("processing", o.get("status").getAsString());
    assertEquals(45, o.get("progress").getAsInt());
    assertEquals("inference", o.get("stage").getAsString());
    assertEquals("Running model inference...", o.get("message").getAsString());
    assertEquals("2025-11-24T00:15:30.123Z", o.get("timestamp").getAsString());
    assertEquals(7, o.get("seq").getAsLong());
    assertEquals("ep1", o.get("epoch").getAsString());
    JsonObject unassigned = parse(ProtocolCodec.progress(ProgressEvent.queued("j", "u")));
    assertEquals(0, unassigned.get("seq").getAsLong());
    assertFalse(unassigned.has("epoch"));
  }

  @Test
  void progressStatusIsLowerCaseForEveryStatus() {
    for (JobStatus s : JobStatus.values()) {
      JsonObject o = parse(ProtocolCodec.progress(new ProgressEvent("j", "u", s, 1, "", "", NOW, 0, null)));
      assertEquals(s.name().toLowerCase(java.util.Locale.ROOT), o.get("status").getAsString());
    }
  }

  @Test
  void messageWithQuotesBackslashesControlCharsAndLineSeparatorsRoundTrips() {
    StringBuilder every = new StringBuilder("say \"hi\" \\ back\\slash / \u2028 \u2029 é 😀 \u007f");
    for (char c = 0; c < 0x20; c++) {
      every.append(c);
    }
    String message = every.toString();
    String stage = "st\"a\\ge\n";
    String text = ProtocolCodec.progress(new ProgressEvent("j", "u", JobStatus.FAILED, 3, stage, message, NOW, 1, "e"));
    assertFalse(text.contains("\u2028") || text.contains("\u2029"), "line separators must be escaped for JS");
    for (char c = 0; c < 0x20; c++) {
      assertTrue(text.indexOf(c) < 0, "raw control char " + (int) c);
    }
    JsonObject o = parse(text);
    assertEquals(message, o.get("message").getAsString());
    assertEquals(stage, o.get("stage").getAsString());
  }

  @Test
  void progressFrameOfANonTerminalEventIsReplaceableAndOfATerminalOneIsNot() {
    OutboundFrame running = ProtocolCodec.progressFrame(ProgressEvent.of("j", "u", JobStatus.PROCESSING, 5, "", ""));
    assertTrue(running.replaceable());
    assertEquals("j", running.jobId());
    OutboundFrame done = ProtocolCodec.progressFrame(ProgressEvent.completed("j", "u", "ok"));
    assertFalse(done.replaceable());
    assertEquals("j", done.jobId());
  }

  @Test
  void statsJsonHasTheDocumentedShape() {
    RegistryStats stats = new RegistryStats(2, 3, java.util.List.of(
        new RegistryStats.UserConnections("user-1", 2), new RegistryStats.UserConnections("user-2", 1)));
    assertEquals("{\"totalUsers\":2,\"totalClients\":3,\"clientsByUser\":[{\"userId\":\"user-1\",\"connections\":2},"
        + "{\"userId\":\"user-2\",\"connections\":1}]}", stats.toJson());
    assertEquals("{\"totalUsers\":0,\"totalClients\":0,\"clientsByUser\":[]}",
        new RegistryStats(0, 0, java.util.List.of()).toJson());
  }
}
