package io.jobprogress.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code docs/asyncapi.yaml} says what {@link ProtocolCodec} does: every frame the codec encodes conforms to
 * its message's schema and declares no undocumented field; every client frame the server accepts conforms;
 * frames the codec refuses are refused by the schemas too, where JSON Schema can say so; and the document has
 * a message for exactly the frame types the codec produces and accepts.
 *
 * <p>What a schema cannot express, and so is not checked here: malformed JSON and trailing data, nesting
 * deeper than {@link ProtocolCodec#MAX_NESTING}, integers written as {@code 1.0} or {@code 1e2} (JSON Schema's
 * {@code integer} is the mathematical one; the codec wants a plain literal), duplicate keys, and the
 * configurable upper bound of {@code batchWindowMs}.
 */
class AsyncApiConformanceTest {
  private static final Instant NOW = Instant.parse("2025-11-24T00:15:30.123Z");
  private static final Instant EXPIRY = Instant.parse("2025-11-24T01:15:30Z");
  private static AsyncApiDocument doc;

  @BeforeAll
  static void load() throws Exception {
    doc = AsyncApiDocument.load();
  }

  // ------------------------------------------------------------------ server -> client

  /** Representative output of every encoder, optional fields present and absent. */
  private static Map<String, List<String>> encodedFrames() {
    ProgressEvent running = new ProgressEvent("job-42", "alice", JobStatus.PROCESSING, 45, "inference",
        "Running model", Instant.parse("2025-11-24T00:15:31.456Z"), 3, "e-19c2");
    Map<String, List<String>> frames = new LinkedHashMap<>();
    frames.put("connected", List.of(ProtocolCodec.connected("alice", "c-7f3a", EXPIRY, NOW),
        ProtocolCodec.connected("user:1.x_Y-z", "c-1", null, NOW)));
    frames.put("subscribed", List.of(ProtocolCodec.subscribed("job-42", NOW),
        ProtocolCodec.subscribed("job-42", Boolean.TRUE, NOW), ProtocolCodec.subscribed("job-42", Boolean.FALSE, NOW),
        ProtocolCodec.subscribed("job-42", null, NOW)));
    frames.put("synced", List.of(ProtocolCodec.synced(0, NOW), ProtocolCodec.synced(200, NOW)));
    frames.put("options", List.of(ProtocolCodec.options(true, 250, NOW), ProtocolCodec.options(false, 0, NOW)));
    frames.put("batch", List.of(ProtocolCodec.batch(List.of(running, ProgressEvent.completed("job-7", "bob", "done")
        .withSequence(12, "e1")), NOW), ProtocolCodec.batch(List.of(), NOW)));
    frames.put("unsubscribed", List.of(ProtocolCodec.unsubscribed("job-42", NOW)));
    frames.put("pong", List.of(ProtocolCodec.pong(NOW)));
    List<String> errors = new ArrayList<>();
    for (ErrorCode code : ErrorCode.values()) {
      errors.add(ProtocolCodec.error(code, null, NOW));
      errors.add(ProtocolCodec.error(code, "job-9", NOW));
    }
    frames.put("error", errors);
    frames.put("tokenExpiring", List.of(ProtocolCodec.tokenExpiring(EXPIRY, NOW)));
    frames.put("tokenRefreshed", List.of(ProtocolCodec.tokenRefreshed(EXPIRY, NOW),
        ProtocolCodec.tokenRefreshed(null, NOW)));
    List<String> progress = new ArrayList<>();
    String longId = "A-z_0.9:" + "j".repeat(Ids.MAX_LENGTH - 8);
    for (JobStatus status : JobStatus.values()) {
      progress.add(ProtocolCodec.progress(new ProgressEvent(longId, "alice", status, 100, "", "",
          NOW, 0, null)));
    }
    progress.add(ProtocolCodec.progress(running));
    progress.add(ProtocolCodec.progress(new ProgressEvent("J", "u", JobStatus.QUEUED, 0, "s".repeat(64),
        "\"quoted\" \\ \n\t\u0001 \u2028 é 日本" + "m".repeat(990), NOW, Long.MAX_VALUE, "x".repeat(64))));
    frames.put("progress", progress);
    frames.put("progressFrame", List.of(ProtocolCodec.progressFrame(running).text()));
    return frames;
  }

  @Test
  void everyEncodedServerFrameConformsToItsMessageSchema() {
    encodedFrames().forEach((encoder, texts) -> {
      for (String text : texts) {
        JsonNode frame = AsyncApiDocument.JSON.readTree(text);
        String type = frame.path("type").asString();
        AsyncApiDocument.Message m = doc.server.get(type);
        assertTrue(m != null, () -> encoder + " encodes type " + type + " that the document lacks: " + text);
        assertEquals(List.of(), m.validate(frame), () -> encoder + ": " + text);
      }
    });
  }

  @Test
  void everyFieldTheCodecEncodesIsDeclaredInTheSchema() {
    encodedFrames().forEach((encoder, texts) -> {
      for (String text : texts) {
        JsonNode frame = AsyncApiDocument.JSON.readTree(text);
        AsyncApiDocument.Message m = doc.server.get(frame.path("type").asString());
        Set<String> declared = Set.copyOf(m.payload().path("properties").propertyNames());
        for (String field : frame.propertyNames()) {
          assertTrue(declared.contains(field), () -> encoder + " writes undocumented field " + field + ": " + text);
        }
      }
    });
  }

  @Test
  void everyEncoderOfTheCodecIsExercisedAndEveryServerMessageIsProduced() {
    Set<String> encoders = Arrays.stream(ProtocolCodec.class.getMethods())
        .filter(m -> Modifier.isStatic(m.getModifiers()) && m.getDeclaringClass() == ProtocolCodec.class)
        .filter(m -> m.getReturnType() == String.class || m.getReturnType() == OutboundFrame.class)
        .map(Method::getName).filter(n -> !n.equals("timestamp")).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(encoders, new TreeSet<>(encodedFrames().keySet()),
        "a new encoder needs samples here and a message in docs/asyncapi.yaml");
    Set<String> produced = encodedFrames().values().stream().flatMap(List::stream)
        .map(t -> AsyncApiDocument.JSON.readTree(t).path("type").asString()).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(new TreeSet<>(doc.server.keySet()), produced, "server messages in the document vs. frames encoded");
  }

  @Test
  void everyServerExampleInTheDocumentConforms() {
    doc.server.values().forEach(m -> {
      assertFalse(m.examples().isEmpty(), m.pointer() + " has no example");
      m.examples().forEach(e -> assertEquals(List.of(), m.validate(e), () -> m.pointer() + " example " + e));
    });
  }

  // ------------------------------------------------------------------ client -> server

  /** The frame type each accepted {@link ClientFrame} is sent as. */
  private static final Map<Class<?>, String> CLIENT_TYPES = Map.of(ClientFrame.Subscribe.class, "subscribe",
      ClientFrame.Unsubscribe.class, "unsubscribe", ClientFrame.Sync.class, "sync", ClientFrame.Options.class,
      "options", ClientFrame.Ping.class, "ping", ClientFrame.Refresh.class, "refresh");

  /** Frames the server accepts (the codec decodes them, the hub's range checks pass). */
  private static final List<String> ACCEPTED = List.of(
      "{\"type\":\"subscribe\",\"data\":{\"jobId\":\"job-42\"}}",
      "{\"data\":{\"jobId\":\"" + "J".repeat(128) + "\",\"extra\":[1]},\"type\":\"subscribe\",\"id\":7}",
      "{\"type\":\"subscribe\",\"data\":{\"jobId\":\"J\",\"sinceSeq\":null,\"epoch\":null}}",
      "{\"type\":\"subscribe\",\"data\":{\"jobId\":\"J\",\"sinceSeq\":0,\"epoch\":\"e\"}}",
      "{\"type\":\"subscribe\",\"data\":{\"jobId\":\"J\",\"sinceSeq\":999999999999999999,\"epoch\":\"" + "e".repeat(64) + "\"}}",
      "{\"type\":\"unsubscribe\",\"data\":{\"jobId\":\"a.b:c_d-e\"}}",
      "{\"type\":\"unsubscribe\",\"data\":{\"jobId\":\"J\",\"sinceSeq\":\"ignored\"}}",
      "{\"type\":\"sync\"}",
      "{\"type\":\"sync\",\"data\":{}}",
      "{\"type\":\"options\",\"data\":{\"batch\":true}}",
      "{\"type\":\"options\",\"data\":{\"batch\":true,\"batchWindowMs\":10}}",
      "{\"type\":\"options\",\"data\":{\"batch\":true,\"batchWindowMs\":null}}",
      "{\"type\":\"options\",\"data\":{\"batch\":false,\"batchWindowMs\":1000}}",
      "{\"type\":\"ping\"}",
      "{\"type\":\"ping\",\"data\":\"anything\"}",
      "{\"type\":\"refresh\",\"data\":{\"token\":\"eyJhbGciOiJIUzI1NiJ9.e30.c2ln\"}}");

  /** Frames the codec refuses, each with the code it refuses them with. */
  private static final Map<String, ErrorCode> REFUSED = refused();

  private static Map<String, ErrorCode> refused() {
    Map<String, ErrorCode> m = new LinkedHashMap<>();
    m.put("[1]", ErrorCode.NOT_AN_OBJECT);
    m.put("\"ping\"", ErrorCode.NOT_AN_OBJECT);
    m.put("{}", ErrorCode.MISSING_TYPE);
    m.put("{\"type\":5}", ErrorCode.MISSING_TYPE);
    m.put("{\"type\":null}", ErrorCode.MISSING_TYPE);
    m.put("{\"type\":\"subscribez\",\"data\":{\"jobId\":\"J\"}}", ErrorCode.UNKNOWN_TYPE);
    m.put("{\"type\":\"PING\"}", ErrorCode.UNKNOWN_TYPE);
    for (String t : List.of("subscribe", "unsubscribe")) {
      m.put("{\"type\":\"" + t + "\"}", ErrorCode.INVALID_DATA);
      m.put("{\"type\":\"" + t + "\",\"data\":\"J\"}", ErrorCode.INVALID_DATA);
      m.put("{\"type\":\"" + t + "\",\"data\":{}}", ErrorCode.MISSING_JOB_ID);
      for (String id : List.of("5", "null", "\"\"", "\"a/b\"", "\"" + "j".repeat(129) + "\"", "\"é\"")) {
        m.put("{\"type\":\"" + t + "\",\"data\":{\"jobId\":" + id + "}}", ErrorCode.INVALID_JOB_ID);
      }
    }
    for (String seq : List.of("-1", "\"5\"", "true", "[]", "12345678901234567890")) {
      m.put(resume(seq, "\"e\""), ErrorCode.INVALID_SINCE_SEQ);
    }
    m.put(resume(null, "\"e\""), ErrorCode.INVALID_SINCE_SEQ);
    m.put(resume("null", "\"e\""), ErrorCode.INVALID_SINCE_SEQ);
    for (String epoch : List.of("\"\"", "3", "\"a/b\"", "\"" + "x".repeat(65) + "\"", "[\"e\"]")) {
      m.put(resume("1", epoch), ErrorCode.INVALID_EPOCH);
    }
    m.put(resume("1", null), ErrorCode.INVALID_EPOCH);
    m.put(resume("1", "null"), ErrorCode.INVALID_EPOCH);
    m.put("{\"type\":\"options\"}", ErrorCode.INVALID_DATA);
    m.put("{\"type\":\"options\",\"data\":[true]}", ErrorCode.INVALID_DATA);
    for (String data : List.of("{}", "{\"batch\":\"true\"}", "{\"batch\":null}", "{\"batch\":1}",
        "{\"batch\":true,\"batchWindowMs\":0}", "{\"batch\":true,\"batchWindowMs\":-5}",
        "{\"batch\":true,\"batchWindowMs\":\"100\"}", "{\"batch\":true,\"batchWindowMs\":1.5}")) {
      m.put("{\"type\":\"options\",\"data\":" + data + "}", ErrorCode.INVALID_OPTIONS);
    }
    for (String t : List.of("refresh", "auth")) {
      m.put("{\"type\":\"" + t + "\"}", ErrorCode.INVALID_DATA);
      m.put("{\"type\":\"" + t + "\",\"data\":\"eyJ\"}", ErrorCode.INVALID_DATA);
      for (String token : List.of("{}", "{\"token\":\"\"}", "{\"token\":5}", "{\"token\":null}")) {
        m.put("{\"type\":\"" + t + "\",\"data\":" + token + "}", ErrorCode.MISSING_TOKEN);
      }
    }
    return m;
  }

  private static String resume(String sinceSeq, String epoch) {
    return "{\"type\":\"subscribe\",\"data\":{\"jobId\":\"J\"" + (sinceSeq == null ? "" : ",\"sinceSeq\":" + sinceSeq)
        + (epoch == null ? "" : ",\"epoch\":" + epoch) + "}}";
  }

  @Test
  void everyClientFrameTheServerAcceptsConformsToItsMessageSchema() {
    for (String text : ACCEPTED) {
      ClientFrame decoded = ProtocolCodec.decode(text);
      assertFalse(decoded instanceof ClientFrame.Invalid, () -> "the codec refuses " + text + ": " + decoded);
      AsyncApiDocument.Message m = doc.client.get(CLIENT_TYPES.get(decoded.getClass()));
      assertTrue(m != null, () -> "no client message for " + decoded.getClass().getSimpleName());
      assertEquals(List.of(), m.validate(AsyncApiDocument.JSON.readTree(text)), text);
    }
  }

  @Test
  void everyClientFrameTheCodecRefusesIsRefusedByEveryClientSchema() {
    REFUSED.forEach((text, code) -> {
      ClientFrame.Invalid invalid = assertInstanceOf(ClientFrame.Invalid.class, ProtocolCodec.decode(text), text);
      assertEquals(code, invalid.error(), text);
      JsonNode frame = AsyncApiDocument.JSON.readTree(text);
      doc.client.values().forEach(m ->
          assertFalse(m.validate(frame).isEmpty(), () -> m.pointer() + " accepts " + text + " (codec: " + code + ")"));
    });
  }

  @Test
  void everyClientExampleInTheDocumentDecodesToItsOwnType() {
    doc.client.values().forEach(m -> {
      assertFalse(m.examples().isEmpty(), m.pointer() + " has no example");
      for (JsonNode example : m.examples()) {
        assertEquals(List.of(), m.validate(example), () -> m.pointer() + " example " + example);
        ClientFrame decoded = ProtocolCodec.decode(AsyncApiDocument.JSON.writeValueAsString(example));
        assertEquals(m.type(), CLIENT_TYPES.get(decoded.getClass()), () -> example + " decodes to " + decoded);
      }
    });
  }

  @Test
  void theDocumentHasAClientMessageForExactlyTheFramesTheCodecAccepts() {
    Set<Class<?>> accepted = Arrays.stream(ClientFrame.class.getPermittedSubclasses())
        .filter(c -> c != ClientFrame.Invalid.class).collect(Collectors.toSet());
    assertEquals(accepted, CLIENT_TYPES.keySet(), "a new ClientFrame needs a type here and a message in the document");
    assertEquals(new TreeSet<>(CLIENT_TYPES.values()), new TreeSet<>(doc.client.keySet()));
    Set<String> decoded = ACCEPTED.stream().map(t -> CLIENT_TYPES.get(ProtocolCodec.decode(t).getClass()))
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(new TreeSet<>(doc.client.keySet()), decoded, "every client message has an accepted sample");
  }

  // ------------------------------------------------------------------ catalogues

  @Test
  void errorCodesAndTextsAreExactlyTheErrorCodeCatalogue() {
    JsonNode props = doc.server.get("error").payload().path("properties");
    assertEquals(Arrays.stream(ErrorCode.values()).map(ErrorCode::code).toList(), strings(props.at("/code/enum")));
    assertEquals(Arrays.stream(ErrorCode.values()).map(ErrorCode::text).toList(), strings(props.at("/error/enum")));
  }

  @Test
  void closeReasonsAreExactlyTheCloseReasonCatalogue() {
    List<String> documented = new ArrayList<>();
    doc.root.at("/channels/live/x-close-reasons").values().forEach(r -> documented.add(
        r.path("code").asInt() + " " + r.path("reason").asString() + " " + r.path("shouldReconnect").asBoolean()));
    assertEquals(Arrays.stream(CloseReason.values())
        .map(r -> r.code() + " " + r.reason() + " " + r.shouldReconnect()).toList(), documented);
  }

  @Test
  void statusesAndTheBatchWindowFloorMatchTheCode() {
    assertEquals(Arrays.stream(JobStatus.values()).map(JobStatus::wireName).toList(),
        strings(doc.server.get("progress").payload().at("/properties/status/enum")));
    assertEquals(HubSettings.MIN_BATCH_WINDOW_MS,
        doc.client.get("options").payload().at("/properties/data/properties/batchWindowMs/minimum").asLong());
  }

  private static List<String> strings(JsonNode array) {
    assertTrue(array.isArray() && !array.isEmpty(), "expected a non-empty array, was " + array);
    List<String> out = new ArrayList<>();
    array.values().forEach(n -> out.add(n.asString()));
    return out;
  }
}
