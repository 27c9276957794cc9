package io.jobprogress.redis;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.jobprogress.core.JobStatus;
import io.jobprogress.core.ProgressEvent;
import io.jobprogress.core.ProgressFrames;
import java.time.Instant;

/**
 * The Redis channel payload of one event, written and read here and nowhere else. It is stored as the
 * job's snapshot and history entry too. Layout, fields in this order:
 * <pre>{"type":"progress","jobId":..,"userId":..,"status":..,"progress":N,"stage":..,"message":..,
 * "timestamp":"ISO-8601","seq":N,"epoch":"..","nodeId":".."}</pre>
 * (the same fields and order as the browser's progress frame, plus the publishing {@code nodeId}, so
 * every version of this library reads every other's payloads).
 *
 * <p>seq and epoch are assigned inside the publish script, so encoding is split: {@link #head} is
 * everything up to {@code "seq":}, the script appends the seq, {@code ,"epoch":"<epoch>} and
 * {@link #tail}. Decoding accepts v1 payloads without seq/epoch/timestamp (seq 0 = unsequenced).
 * Stateless and thread-safe.
 */
final class EnvelopeCodec {
  private EnvelopeCodec() {}

  /** The payload up to and including {@code "seq":}; the script appends seq, epoch and {@link #tail}. */
  static String head(ProgressEvent e) {
    StringBuilder b = new StringBuilder(192 + e.message().length()).append("{\"type\":\"progress\"");
    field(b, "jobId", e.jobId());
    field(b, "userId", e.userId());
    field(b, "status", e.status().wireName());
    b.append(",\"progress\":").append(e.progress());
    field(b, "stage", e.stage());
    field(b, "message", e.message());
    field(b, "timestamp", ProgressFrames.timestamp(e.timestamp()));
    return b.append(",\"seq\":").toString();
  }

  /** What follows the epoch's value: the node id and the closing brace. */
  static String tail(String nodeId) {
    return "\",\"nodeId\":\"" + nodeId + "\"}";
  }

  /** The whole payload of a sequenced event, exactly as the script assembles it. */
  static String encode(ProgressEvent e, String nodeId) {
    return head(e) + e.seq() + ",\"epoch\":\"" + e.epoch() + tail(nodeId);
  }

  private static void field(StringBuilder b, String name, String value) {
    b.append(",\"").append(name).append("\":\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  /**
   * Parses and validates a payload.
   *
   * @throws IllegalArgumentException for anything that is not a valid progress envelope
   */
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
