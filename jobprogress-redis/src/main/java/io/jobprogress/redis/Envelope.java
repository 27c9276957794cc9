package io.jobprogress.redis;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.jobprogress.core.JobStatus;
import io.jobprogress.core.ProgressEvent;
import io.jobprogress.core.ProtocolCodec;
import java.time.Instant;

/**
 * The JSON published on a job channel and stored as snapshot and history: the contract's progress frame
 * ({@link ProtocolCodec#progress}) with {@code seq}, {@code epoch} and the publishing {@code nodeId}.
 *
 * <p>Encoding is split in two so the publish script can put seq and epoch in between without parsing
 * JSON in Lua. Decoding accepts seed-style payloads without seq/epoch/timestamp (seq 0 = unsequenced).
 * Stateless and thread-safe.
 */
final class Envelope {
  private static final String SEQ_TAIL = ",\"seq\":0}";

  private Envelope() {}

  /** The envelope up to and including {@code "seq":}; the script appends seq, epoch and {@link #tail}. */
  static String head(ProgressEvent e) {
    String json = ProtocolCodec.progress(e.withSequence(0, null));
    if (!json.endsWith(SEQ_TAIL)) {
      throw new IllegalStateException("redis: unexpected progress JSON layout: " + json);
    }
    return json.substring(0, json.length() - 2);
  }

  /** What follows the epoch's value: the node id and the closing brace. */
  static String tail(String nodeId) {
    return "\",\"nodeId\":\"" + nodeId + "\"}";
  }

  /** The whole envelope, as the script assembles it (used by tests and the benchmark). */
  static String encode(ProgressEvent e, String nodeId) {
    return head(e) + e.seq() + ",\"epoch\":\"" + e.epoch() + tail(nodeId);
  }

  /**
   * Parses and validates an envelope.
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
