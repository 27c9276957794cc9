package io.jobprogress.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.jobprogress.core.JobStatus;
import io.jobprogress.core.ProgressEvent;
import io.jobprogress.core.ProgressFrames;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The streaming {@link EnvelopeCodec#decode} and its hand-written timestamp parser give the same event, or
 * the same error text, as the gson-tree decoder they replaced (kept here verbatim as the oracle) for valid
 * payloads, v1 payloads, every kind of wrong field, duplicate fields, lenient JSON, timestamps in and out of
 * the written form, and many random mutations of valid payloads.
 *
 * <p>Reproducible: failures name the seed; rerun with {@code -Dfuzz.seed=<seed>}.
 */
class EnvelopeCodecEquivalenceTest {
  private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
  /** Generated timestamps lie before this. */
  private static final Instant GENERATED_BEFORE = Instant.parse("2025-01-01T00:00:00Z");
  private static final String[] VALUES = {"null", "true", "false", "0", "-0", "42", "-1", "1.5", "1.0", "1e3",
      "1E+2", "1e400", "-1e400", "1e15", "1e16", "999999999999999", "1000000000000000", "9223372036854775807",
      "12345678901234567890", "0x10", "NaN", "Infinity", "007", "\"42\"", "\"\"", "\"progress\"", "\"processing\"",
      "\"PROCESSING\"", "\"job-1\"", "[]", "[1,\"a\"]", "{}", "{\"a\":{\"b\":[null]}}", "'single'", "unquoted",
      "\"2026-01-02T03:04:05.678Z\"", "[1,", "{\"a\"", "\"\\u0041\""};
  private static final String[] TIMESTAMPS = {"2026-01-02T03:04:05.678Z", "2026-01-02T03:04:05Z",
      "2026-01-02T03:04:05.6Z", "2026-01-02T03:04:05.678901Z", "2026-02-29T00:00:00.000Z",
      "2024-02-29T00:00:00.000Z", "1900-02-29T00:00:00.000Z", "2000-02-29T23:59:59.999Z", "2026-04-31T00:00:00.000Z",
      "2026-13-01T00:00:00.000Z", "2026-00-01T00:00:00.000Z", "2026-01-00T00:00:00.000Z", "2026-01-01T24:00:00.000Z",
      "2026-01-01T23:60:00.000Z", "2016-12-31T23:59:60.000Z", "2026-01-01T23:59:59.000z", "2026-01-01t23:59:59.000Z",
      "2026-01-01T23:59:59.000+00:00", "2026-01-01T23:59:59.000+01:00", "+10000-01-01T00:00:00.000Z",
      "-0001-01-01T00:00:00.000Z", "0000-01-01T00:00:00.000Z", "0000-02-29T00:00:00.000Z", "9999-12-31T23:59:59.999Z",
      "2026-01-01 23:59:59.000Z", "2026-01-01T23:59:5a.000Z", "2026-01-01T-1:59:59.000Z",
      "\u0662026-01-01T23:59:59.000Z",
      "", "now", "2026-01-01T23:59:59.0000Z", "1970-01-01T00:00:00.000Z", "1969-12-31T23:59:59.999Z"};
  private static final String SOUP = "{}[]:,\"'\\ \n\t/#*=;ntfrue0123456789.eE+-xZT";

  @Test
  void everyPayloadDecodesToTheSameEventOrErrorAsTheTreeDecoder() {
    Random random = new Random(SEED);
    List<String> inputs = new ArrayList<>(List.of("", " ", "null", "null x", "[1]", "5", "\"s\"", "{}", "{} x",
        "{}{}", "{} ", "{", "}", "{\"type\":\"progress\"", "{}//c", "{}/*c*/", "{/*c*/}", "{a:1}", "{'a':1}",
        "{\"a\"=1}", "{\"a\"=>1}", "{\"a\":1;\"b\":2}", "{\"a\":1,}", "{,}", "\ufeff{}",
        // edges of the decoder's fast path (flat, no whitespace, no escapes, plain integers)
        "{\"a\":1}", "{\"a\":\"\"}", "{\"\":1}", "{\"a\":}", "{\"a\"}", "{\"a\":1,\"b\"}", "{\"a\":\"x}",
        "{\"progress\":5}", "{\"progress\":05}", "{\"progress\":-0}", "{\"progress\":1234567890123456}",
        "{\"progress\":0,\"progress\":\"5\"}", "{\"jobId\":\"j\",\"userId\":\"u\",\"status\":\"queued\",\"progress\":0}",
        "{\"jobId\":\"j\",\"userId\":\"u\",\"status\":\"queued\",\"progress\":0 }",
        "{\"jobId\":\"j\",\"userId\":\"u\",\"status\":\"queued\",\"progress\":0,\"seq\":7}",
        "{\"jobId\":\"j\",\"userId\":\"u\",\"status\":\"queued\",\"progress\":0,\"seq\":7,\"epoch\":\"e\"}",
        "{\"jobId\":\"j\\u0041\",\"userId\":\"u\",\"status\":\"queued\",\"progress\":0}",
        "{\"job\\u0049d\":\"j\",\"userId\":\"u\",\"status\":\"queued\",\"progress\":0}",
        "{\"jobId\":\"j\t\",\"userId\":\"u\",\"status\":\"queued\",\"progress\":0}",
        "{\"jobId\":\"j\",\"userId\":\"u\",\"status\":\"queued\",\"progress\":100,\"x\":[1]}"));
    for (int i = 0; i < 3_000; i++) {
      String valid = EnvelopeCodec.encode(randomEvent(random), "node-" + random.nextInt(1000));
      inputs.add(valid);
      inputs.add(replaceValue(random, valid, random.nextBoolean() ? "timestamp" : NAMES[random.nextInt(NAMES.length)]));
      inputs.add(duplicate(random, valid));
      inputs.add(withoutField(valid, NAMES[random.nextInt(NAMES.length)]));
      for (int m = 0; m < 6; m++) {
        inputs.add(mutate(random, valid, 1 + random.nextInt(3)));
      }
    }
    Set<String> outcomes = new TreeSet<>();
    for (int i = 0; i < inputs.size(); i++) {
      String input = inputs.get(i);
      String expected = outcome(() -> LegacyDecoder.decode(input));
      String actual = outcome(() -> EnvelopeCodec.decode(input));
      int n = i;
      assertEquals(expected, actual, () -> "input #" + n + " (-Dfuzz.seed=" + SEED + "): " + input);
      outcomes.add(expected.startsWith("ok") ? "ok" : expected.substring(expected.indexOf(": ") + 2)
          .replaceAll("[^a-zA-Z ].*", ""));
    }
    assertTrue(outcomes.size() > 20, "the inputs reach many outcomes: " + outcomes);
    System.out.println(inputs.size() + " payloads, outcomes: " + outcomes);
  }

  @Test
  void everyWrittenTimestampParsesToTheInstantInstantParseGives() {
    Random random = new Random(SEED + 1);
    for (int i = 0; i < 100_000; i++) {
      Instant t = Instant.ofEpochSecond(random.nextLong(-62_167_219_200L, 253_402_300_800L),
          random.nextInt(1_000) * 1_000_000);
      String text = ProgressFrames.timestamp(t);
      assertEquals(t, EnvelopeTimestamp.parse(text), () -> text + " (-Dfuzz.seed=" + SEED + ")");
    }
    for (String text : TIMESTAMPS) {
      assertEquals(outcome(() -> Instant.parse(text)), outcome(() -> EnvelopeTimestamp.parse(text)), text);
    }
  }

  private static final String[] NAMES =
      {"type", "jobId", "userId", "status", "progress", "stage", "message", "timestamp", "seq", "epoch", "nodeId"};

  /** The outcome as text: the event (its timestamp "now" when the decoder made it up) or the error. */
  private static String outcome(Supplier<Object> decode) {
    Instant before = Instant.now();
    try {
      Object o = decode.get();
      if (o instanceof ProgressEvent e && !e.timestamp().isBefore(before) && !e.timestamp().isAfter(Instant.now())) {
        return "ok " + e.toString().replace(e.timestamp().toString(), "now");
      }
      return "ok " + o;
    } catch (RuntimeException e) {
      return e.getClass().getName() + ": " + e.getMessage();
    }
  }

  private static ProgressEvent randomEvent(Random random) {
    long seq = random.nextInt(4) == 0 ? 0 : random.nextLong(1, 1_000_000_000_000_000L);
    return new ProgressEvent(id(random), id(random), JobStatus.values()[random.nextInt(5)], random.nextInt(101),
        text(random, random.nextInt(20)), text(random, random.nextInt(80)),
        Instant.ofEpochSecond(random.nextLong(-62_167_219_200L, GENERATED_BEFORE.getEpochSecond()),
            random.nextInt(1_000_000_000)),
        seq, seq == 0 ? "e" : id(random).substring(0, 1));
  }

  private static String id(Random random) {
    String chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-";
    StringBuilder b = new StringBuilder();
    for (int i = random.nextInt(1, 30); i > 0; i--) {
      b.append(chars.charAt(random.nextInt(chars.length())));
    }
    return b.toString();
  }

  private static String text(Random random, int length) {
    String special = "\"\\\n\r\t\u0000\u001f\u2028\u00e9\u4e2d\ud83d\ude00/";
    StringBuilder b = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      b.append(random.nextInt(6) == 0 ? special.charAt(random.nextInt(special.length()))
          : (char) random.nextInt(0x20, 0x7f));
    }
    return b.toString();
  }

  /** The payload with {@code name}'s value replaced (or the field added) by another value or timestamp. */
  private static String replaceValue(Random random, String json, String name) {
    String value = name.equals("timestamp") && random.nextInt(3) > 0
        ? '"' + TIMESTAMPS[random.nextInt(TIMESTAMPS.length)] + '"' : VALUES[random.nextInt(VALUES.length)];
    JsonObject o = JsonParser.parseString(json).getAsJsonObject();
    StringBuilder b = new StringBuilder("{");
    boolean replaced = false;
    for (var entry : o.entrySet()) {
      b.append(b.length() > 1 ? "," : "").append(new JsonPrimitive(entry.getKey())).append(':');
      if (entry.getKey().equals(name)) {
        b.append(value);
        replaced = true;
      } else {
        b.append(entry.getValue());
      }
    }
    if (!replaced) {
      b.append(",\"").append(name).append("\":").append(value);
    }
    return b.append('}').toString();
  }

  /** The payload with one field written a second time, before or after the first. */
  private static String duplicate(Random random, String json) {
    String field = "\"" + NAMES[random.nextInt(NAMES.length)] + "\":" + VALUES[random.nextInt(VALUES.length)];
    return random.nextBoolean() ? "{" + field + "," + json.substring(1)
        : json.substring(0, json.length() - 1) + "," + field + "}";
  }

  private static String withoutField(String json, String name) {
    JsonObject o = JsonParser.parseString(json).getAsJsonObject();
    o.remove(name);
    return o.toString();
  }

  /** Deletes, inserts or replaces a few characters. */
  private static String mutate(Random random, String json, int edits) {
    StringBuilder b = new StringBuilder(json);
    for (int i = 0; i < edits; i++) {
      int at = random.nextInt(b.length() + 1);
      char c = SOUP.charAt(random.nextInt(SOUP.length()));
      switch (random.nextInt(3)) {
        case 0 -> b.insert(at, c);
        case 1 -> b.deleteCharAt(Math.min(at, b.length() - 1));
        default -> b.setCharAt(Math.min(at, b.length() - 1), c);
      }
    }
    return b.toString();
  }

  /** The gson-tree decoder the streaming one replaced, verbatim. */
  private static final class LegacyDecoder {
    static ProgressEvent decode(String json) {
      JsonObject o;
      try {
        JsonElement el = JsonParser.parseString(json);
        if (!el.isJsonObject()) {
          throw new IllegalArgumentException("not a JSON object");
        }
        o = el.getAsJsonObject();
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("malformed JSON: " + e.getMessage());
      }
      String type = string(o, "type", false);
      if (type != null && !type.equals("progress")) {
        throw new IllegalArgumentException("type must be progress, was \"" + type + '"');
      }
      String ts = string(o, "timestamp", false);
      Instant timestamp;
      try {
        timestamp = ts == null ? Instant.now() : Instant.parse(ts);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("timestamp must be ISO-8601, was \"" + ts + '"');
      }
      long seq = number(o, "seq", false, 0);
      return new ProgressEvent(string(o, "jobId", true), string(o, "userId", true),
          JobStatus.fromWire(string(o, "status", true)), (int) number(o, "progress", true, 0),
          string(o, "stage", false), string(o, "message", false), timestamp, seq,
          seq == 0 ? null : string(o, "epoch", false));
    }

    private static String string(JsonObject o, String name, boolean required) {
      JsonElement v = o.get(name);
      if (v == null || v.isJsonNull()) {
        if (required) {
          throw new IllegalArgumentException(name + " is missing");
        }
        return null;
      }
      if (!v.isJsonPrimitive() || !((JsonPrimitive) v).isString()) {
        throw new IllegalArgumentException(name + " must be a string");
      }
      return v.getAsString();
    }

    private static long number(JsonObject o, String name, boolean required, long dflt) {
      JsonElement v = o.get(name);
      if (v == null || v.isJsonNull()) {
        if (required) {
          throw new IllegalArgumentException(name + " is missing");
        }
        return dflt;
      }
      if (!v.isJsonPrimitive() || !((JsonPrimitive) v).isNumber()) {
        throw new IllegalArgumentException(name + " must be a number");
      }
      double d = v.getAsDouble();
      if (d != Math.rint(d) || Math.abs(d) > 1e15) {
        throw new IllegalArgumentException(name + " must be a whole number, was " + v);
      }
      return (long) d;
    }
  }
}
