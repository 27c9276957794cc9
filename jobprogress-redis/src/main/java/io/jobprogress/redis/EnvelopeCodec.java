package io.jobprogress.redis;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import io.jobprogress.core.JobStatus;
import io.jobprogress.core.ProgressEvent;
import io.jobprogress.core.ProgressFrames;
import java.io.IOException;
import java.io.StringReader;
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
    // fixed text, longest status, progress and timestamp, plus the values and a little room for escapes
    int capacity = 176 + e.jobId().length() + e.userId().length() + e.stage().length() + e.message().length();
    StringBuilder b = new StringBuilder(capacity).append("{\"type\":\"progress\"");
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
   * <p>Streams the payload with gson's {@link JsonReader} in the lenient mode of {@code JsonParser} (which
   * read it as a tree before), with the same reader calls the tree parser makes, so the same payloads are
   * accepted, duplicate fields keep their last value, and the fields are validated only after the whole
   * document was read, in the same order, with the same errors. A payload the stream refuses is parsed once
   * more as a tree, only to report the tree parser's own error. The payloads this library writes (no
   * whitespace, no escapes, plain integers) skip gson: a scan reads the same fields without gson's 2 KB
   * reader buffer, which was four fifths of the subscriber thread's allocation (JFR, docs/benchmarks.md).
   *
   * @throws IllegalArgumentException for anything that is not a valid progress envelope
   */
  static ProgressEvent decode(String json) {
    Fields f = Fields.read(json);
    String type = f.string(TYPE, false);
    if (type != null && !type.equals("progress")) {
      throw new IllegalArgumentException("type must be progress, was \"" + type + '"');
    }
    String ts = f.string(TIMESTAMP, false);
    Instant timestamp;
    try {
      timestamp = ts == null ? Instant.now() : EnvelopeTimestamp.parse(ts);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("timestamp must be ISO-8601, was \"" + ts + '"');
    }
    long seq = f.number(SEQ, false, 0);
    return new ProgressEvent(f.string(JOB_ID, true), f.string(USER_ID, true),
        JobStatus.fromWire(f.string(STATUS, true)), (int) f.number(PROGRESS, true, 0),
        f.string(STAGE, false), f.string(MESSAGE, false), timestamp, seq,
        seq == 0 ? null : f.string(EPOCH, false));
  }

  /** Whether {@link #decode} reads {@code json} on its fast path, without gson (for tests). */
  static boolean readsWithoutGson(String json) {
    return Fields.scan(json) != null;
  }

  // the fields decode reads, as indexes into Fields
  private static final int TYPE = 0;
  private static final int JOB_ID = 1;
  private static final int USER_ID = 2;
  private static final int STATUS = 3;
  private static final int PROGRESS = 4;
  private static final int STAGE = 5;
  private static final int MESSAGE = 6;
  private static final int TIMESTAMP = 7;
  private static final int SEQ = 8;
  private static final int EPOCH = 9;
  private static final String[] NAMES =
      {"type", "jobId", "userId", "status", "progress", "stage", "message", "timestamp", "seq", "epoch"};

  /** The index of a field decode reads, or -1. */
  private static int field(String name) {
    for (int i = 0; i < NAMES.length; i++) {
      if (NAMES[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * One payload's known fields as read: each absent (or JSON null), a string, a number literal, or another
   * value. Confined to the decoding thread.
   */
  private static final class Fields {
    private static final byte ABSENT = 0;
    private static final byte STRING = 1;
    private static final byte NUMBER = 2;
    private static final byte OTHER = 3;

    private final String[] values = new String[NAMES.length];
    private final byte[] kinds = new byte[NAMES.length];

    static Fields read(String json) {
      Fields f = scan(json);
      if (f != null) {
        return f;
      }
      f = new Fields();
      JsonReader r = new JsonReader(new StringReader(json));
      r.setStrictness(Strictness.LENIENT); // as JsonParser.parseString reads
      String error = null;
      try {
        if (r.peek() != JsonToken.BEGIN_OBJECT) {
          error = "not a JSON object";
        } else {
          f.readObject(r);
          r.setStrictness(Strictness.LEGACY_STRICT); // JsonParser checks what follows with the reader's default
          if (r.peek() != JsonToken.END_DOCUMENT) {
            error = "trailing data";
          }
        }
      } catch (IOException | RuntimeException e) {
        error = String.valueOf(e);
      }
      if (error != null) {
        throw new IllegalArgumentException(treeError(json, error));
      }
      return f;
    }

    /**
     * The fast path for the payloads this library writes: a flat object with no whitespace whose names and
     * string values hold no escape and no control character and whose numbers are 1 to 15 digits without a
     * sign or leading zero. For such a payload gson's reader would return exactly these names and values
     * (a string's text between its quotes, a number's literal), so the fields are the same; anything else
     * gives {@code null} and is read by gson. It allocates only the field values, not gson's 2 KB buffer.
     */
    private static Fields scan(String json) {
      int last = json.length() - 1; // the closing brace
      if (last < 1 || json.charAt(0) != '{' || json.charAt(last) != '}') {
        return null;
      }
      Fields f = new Fields();
      int i = 1;
      while (true) {
        if (i >= last || json.charAt(i) != '"') {
          return null;
        }
        int nameEnd = plainStringEnd(json, i + 1, last);
        if (nameEnd < 0 || nameEnd + 2 >= last || json.charAt(nameEnd + 1) != ':') {
          return null;
        }
        int field = indexOf(json, i + 1, nameEnd);
        i = nameEnd + 2;
        int end;
        if (json.charAt(i) == '"') {
          end = plainStringEnd(json, i + 1, last);
          if (end < 0) {
            return null;
          }
          f.put(field, STRING, json, i + 1, end);
          i = end + 1;
        } else {
          end = integerEnd(json, i, last);
          if (end < 0) {
            return null;
          }
          f.put(field, NUMBER, json, i, end);
          i = end;
        }
        if (i == last) {
          return f;
        }
        if (json.charAt(i) != ',') {
          return null;
        }
        i++;
      }
    }

    /** Records field {@code i} (if decode reads it) as {@code json[from, to)}; a later duplicate replaces it. */
    private void put(int i, byte kind, String json, int from, int to) {
      if (i >= 0) {
        kinds[i] = kind;
        values[i] = json.substring(from, to);
      }
    }

    /** The index of the closing quote of a string starting at {@code from}, or -1 at an escape, a control character or {@code limit}. */
    private static int plainStringEnd(String s, int from, int limit) {
      for (int i = from; i < limit; i++) {
        char c = s.charAt(i);
        if (c == '"') {
          return i;
        }
        if (c == '\\' || c < 0x20) {
          return -1;
        }
      }
      return -1;
    }

    /** The end of {@code 0} or 1 to 15 digits not starting with 0, followed by a comma or {@code limit}; else -1. */
    private static int integerEnd(String s, int from, int limit) {
      int i = from;
      while (i < limit && i - from < 16 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
      }
      int digits = i - from;
      boolean plain = digits == 1 || (digits > 1 && digits <= 15 && s.charAt(from) != '0');
      return plain && (i == limit || s.charAt(i) == ',') ? i : -1;
    }

    /** The index of the field decode reads named {@code s[from, to)}, or -1. */
    private static int indexOf(String s, int from, int to) {
      for (int i = 0; i < NAMES.length; i++) {
        if (NAMES[i].length() == to - from && s.startsWith(NAMES[i], from)) {
          return i;
        }
      }
      return -1;
    }

    private void readObject(JsonReader r) throws IOException {
      r.beginObject();
      while (r.hasNext()) {
        int i = field(r.nextName());
        JsonToken t = r.peek();
        if (i < 0) {
          consume(r, t);
        } else if (t == JsonToken.STRING || t == JsonToken.NUMBER) {
          kinds[i] = t == JsonToken.STRING ? STRING : NUMBER;
          values[i] = r.nextString(); // a number's literal text, as the tree keeps it
        } else {
          consume(r, t);
          kinds[i] = t == JsonToken.NULL ? ABSENT : OTHER; // a later duplicate replaces an earlier value
          values[i] = null;
        }
      }
      r.endObject();
    }

    /** Consumes one value with the calls gson's tree parser makes for it, so it fails where that fails. */
    private static void consume(JsonReader r, JsonToken t) throws IOException {
      switch (t) {
        case STRING, NUMBER -> r.nextString();
        case BOOLEAN -> r.nextBoolean();
        case NULL -> r.nextNull();
        default -> JsonParser.parseReader(r); // an object or array: the tree parser itself
      }
    }

    /**
     * The error the decoder reported when it parsed payloads as a gson tree: its exception's text, or "not a
     * JSON object". Only for payloads the stream refused; {@code streamError} in case the tree accepts one.
     */
    private static String treeError(String json, String streamError) {
      try {
        JsonElement el = JsonParser.parseString(json);
        return "malformed JSON: " + (el.isJsonObject() ? streamError : "not a JSON object");
      } catch (RuntimeException e) {
        return "malformed JSON: " + e.getMessage();
      }
    }

    /** Whether field {@code i} is absent (or null); throws when it is but {@code required}. */
    private boolean absent(int i, boolean required) {
      if (kinds[i] != ABSENT) {
        return false;
      }
      if (required) {
        throw new IllegalArgumentException(NAMES[i] + " is missing");
      }
      return true;
    }

    String string(int i, boolean required) {
      if (absent(i, required)) {
        return null;
      }
      if (kinds[i] != STRING) {
        throw new IllegalArgumentException(NAMES[i] + " must be a string");
      }
      return values[i];
    }

    long number(int i, boolean required, long dflt) {
      if (absent(i, required)) {
        return dflt;
      }
      if (kinds[i] != NUMBER) {
        throw new IllegalArgumentException(NAMES[i] + " must be a number");
      }
      String literal = values[i];
      if (isShortInteger(literal)) {
        return Long.parseLong(literal); // below 10^15: exactly what the double check below would return
      }
      double d = Double.parseDouble(literal);
      if (d != Math.rint(d) || Math.abs(d) > 1e15) {
        throw new IllegalArgumentException(NAMES[i] + " must be a whole number, was " + literal);
      }
      return (long) d;
    }

    /** An optional minus and 1..15 ASCII digits. */
    private static boolean isShortInteger(String s) {
      int from = s.startsWith("-") ? 1 : 0;
      if (s.length() <= from || s.length() - from > 15) {
        return false;
      }
      for (int i = from; i < s.length(); i++) {
        if (s.charAt(i) < '0' || s.charAt(i) > '9') {
          return false;
        }
      }
      return true;
    }
  }
}
