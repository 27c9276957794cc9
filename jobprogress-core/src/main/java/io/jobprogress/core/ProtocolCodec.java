package io.jobprogress.core;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;

/**
 * Reads client frames and writes server frames of the protocol (see {@code docs/protocol.md}).
 *
 * <p>{@link #decode} is total: for any string it returns a {@link ClientFrame}, never throws, and runs in
 * time linear in the input (streaming, nesting limited to {@value #MAX_NESTING}). Encoders write exactly the
 * documented field names, ISO-8601 UTC timestamps with milliseconds and lower-case statuses. Stateless and
 * thread-safe. Package-private: other modules write progress frames through {@link ProgressFrames}.
 */
final class ProtocolCodec {
  /** Deepest nesting accepted in a client frame. */
  public static final int MAX_NESTING = 16;

  /** Characters of a progress frame besides its variable-length values (longest status, seq and progress). */
  private static final int PROGRESS_FIXED = 192;
  /** Room for escapes in a progress frame's strings before its builder has to grow. */
  private static final int ESCAPE_SLACK = 16;

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private ProtocolCodec() {}

  // ---------------------------------------------------------------- decoding

  /** Decodes one client frame; see the class documentation. */
  public static ClientFrame decode(String text) {
    if (text == null) {
      return new ClientFrame.Invalid(ErrorCode.INVALID_JSON, "empty frame");
    }
    try {
      return decodeStrict(text);
    } catch (IOException | RuntimeException e) {
      String msg = String.valueOf(e.getMessage());
      if (msg.contains("Nesting limit")) {
        return new ClientFrame.Invalid(ErrorCode.TOO_COMPLEX, "nesting deeper than " + MAX_NESTING);
      }
      return new ClientFrame.Invalid(ErrorCode.INVALID_JSON, "malformed JSON");
    } catch (StackOverflowError e) { // defensive: the reader is iterative, this should not happen
      return new ClientFrame.Invalid(ErrorCode.TOO_COMPLEX, "too deeply nested");
    }
  }

  private static ClientFrame decodeStrict(String text) throws IOException {
    JsonReader r = new JsonReader(new StringReader(text));
    r.setStrictness(Strictness.STRICT);
    r.setNestingLimit(MAX_NESTING);
    if (r.peek() != JsonToken.BEGIN_OBJECT) {
      r.skipValue();
      requireEnd(r);
      return new ClientFrame.Invalid(ErrorCode.NOT_AN_OBJECT, "a frame must be a JSON object");
    }
    String type = null;
    boolean typeNotString = false;
    Data data = null;
    boolean dataPresent = false;
    r.beginObject();
    while (r.hasNext()) {
      String name = r.nextName();
      if (name.equals("type")) {
        if (r.peek() == JsonToken.STRING) {
          type = r.nextString();
          typeNotString = false;
        } else {
          r.skipValue();
          type = null;
          typeNotString = true;
        }
      } else if (name.equals("data")) {
        dataPresent = true;
        data = r.peek() == JsonToken.BEGIN_OBJECT ? Data.read(r) : skip(r);
      } else {
        r.skipValue();
      }
    }
    r.endObject();
    requireEnd(r);
    if (type == null) {
      return new ClientFrame.Invalid(ErrorCode.MISSING_TYPE,
          typeNotString ? "\"type\" must be a string" : "missing \"type\"");
    }
    switch (type) {
      case "ping":
        return new ClientFrame.Ping();
      case "sync":
        return new ClientFrame.Sync();
      case "options":
        return options(dataPresent, data);
      case "subscribe":
      case "unsubscribe":
        return jobCommand(type, dataPresent, data);
      case "refresh":
      case "auth":
        if (data == null) {
          return new ClientFrame.Invalid(ErrorCode.INVALID_DATA, "\"data\" must be an object");
        }
        if (data.token == null || data.token.isEmpty()) {
          return new ClientFrame.Invalid(ErrorCode.MISSING_TOKEN, "\"data.token\" must be a non-empty string");
        }
        return new ClientFrame.Refresh(data.token); // "auth" is an alias of "refresh"
      default:
        return new ClientFrame.Invalid(ErrorCode.UNKNOWN_TYPE, "unknown type " + Ids.quote(type));
    }
  }

  private static ClientFrame jobCommand(String type, boolean dataPresent, Data data) {
    if (data == null) {
      return new ClientFrame.Invalid(ErrorCode.INVALID_DATA,
          dataPresent ? "\"data\" must be an object" : "missing \"data\"");
    }
    if (data.jobId == null) {
      return new ClientFrame.Invalid(data.jobIdWrongType ? ErrorCode.INVALID_JOB_ID : ErrorCode.MISSING_JOB_ID,
          data.jobIdWrongType ? "\"data.jobId\" must be a string" : "missing \"data.jobId\"");
    }
    if (!Ids.isValid(data.jobId)) {
      return new ClientFrame.Invalid(ErrorCode.INVALID_JOB_ID,
          "jobId must be 1..128 characters of [A-Za-z0-9._:-]");
    }
    if (type.equals("unsubscribe")) {
      return new ClientFrame.Unsubscribe(data.jobId);
    }
    if (data.sinceSeqBad || (data.sinceSeq == null && data.epoch != null)) {
      return new ClientFrame.Invalid(ErrorCode.INVALID_SINCE_SEQ, data.sinceSeqBad
          ? "\"data.sinceSeq\" must be a non-negative integer" : "\"data.epoch\" given without \"data.sinceSeq\"");
    }
    if (data.epochBad || (data.sinceSeq != null && data.epoch == null)) {
      return new ClientFrame.Invalid(ErrorCode.INVALID_EPOCH, data.epochBad
          ? "\"data.epoch\" must be 1..64 characters of [A-Za-z0-9._:-]" : "\"data.sinceSeq\" given without \"data.epoch\"");
    }
    return new ClientFrame.Subscribe(data.jobId, data.sinceSeq, data.epoch);
  }

  private static ClientFrame options(boolean dataPresent, Data data) {
    if (data == null) {
      return new ClientFrame.Invalid(ErrorCode.INVALID_DATA,
          dataPresent ? "\"data\" must be an object" : "missing \"data\"");
    }
    if (data.batch == null || data.batchWindowBad) {
      return new ClientFrame.Invalid(ErrorCode.INVALID_OPTIONS, data.batch == null
          ? "\"data.batch\" must be true or false" : "\"data.batchWindowMs\" must be a positive integer");
    }
    return new ClientFrame.Options(data.batch, data.batchWindowMs);
  }

  /** A JSON number that is a plain non-negative integer below 10^18, else null. */
  private static Long plainLong(String literal) {
    return literal.matches("0|[1-9][0-9]{0,17}") ? Long.valueOf(literal) : null;
  }

  private static <T> T skipNull(JsonReader r) throws IOException {
    r.skipValue();
    return null;
  }

  private static Data skip(JsonReader r) throws IOException {
    r.skipValue();
    return null;
  }

  private static void requireEnd(JsonReader r) throws IOException {
    if (r.peek() != JsonToken.END_DOCUMENT) {
      throw new IOException("trailing data");
    }
  }

  /** The fields of {@code data} the protocol reads. */
  private static final class Data {
    String jobId;
    boolean jobIdWrongType;
    String token;
    Long sinceSeq;
    boolean sinceSeqBad;
    String epoch;
    boolean epochBad;
    Boolean batch;
    Long batchWindowMs;
    boolean batchWindowBad;

    static Data read(JsonReader r) throws IOException {
      Data d = new Data();
      r.beginObject();
      while (r.hasNext()) {
        String name = r.nextName();
        if (name.equals("jobId")) {
          if (r.peek() == JsonToken.STRING) {
            d.jobId = r.nextString();
            d.jobIdWrongType = false;
          } else {
            r.skipValue();
            d.jobId = null;
            d.jobIdWrongType = true;
          }
        } else if (name.equals("token") && r.peek() == JsonToken.STRING) {
          d.token = r.nextString();
        } else if (r.peek() == JsonToken.NULL) {
          r.nextNull(); // an explicit null reads as absent, for every field
        } else if (name.equals("sinceSeq")) {
          d.sinceSeq = r.peek() == JsonToken.NUMBER ? plainLong(r.nextString()) : skipNull(r);
          d.sinceSeqBad = d.sinceSeq == null;
        } else if (name.equals("epoch")) {
          d.epoch = r.peek() == JsonToken.STRING ? r.nextString() : skipNull(r);
          d.epochBad = d.epoch == null || d.epoch.length() > 64 || !Ids.isValid(d.epoch);
        } else if (name.equals("batch")) {
          d.batch = r.peek() == JsonToken.BOOLEAN ? r.nextBoolean() : skipNull(r);
        } else if (name.equals("batchWindowMs")) {
          d.batchWindowMs = r.peek() == JsonToken.NUMBER ? plainLong(r.nextString()) : skipNull(r);
          d.batchWindowBad = d.batchWindowMs == null || d.batchWindowMs == 0;
        } else {
          r.skipValue();
        }
      }
      r.endObject();
      return d;
    }
  }

  // ---------------------------------------------------------------- encoding

  /** Formats an instant as ISO-8601 UTC with milliseconds, e.g. {@code 2025-11-24T00:15:30.123Z}. */
  public static String timestamp(Instant instant) {
    return IsoTimestamp.format(instant);
  }

  /**
   * The first frame: {@code {"type":"connected","message":"Connected to live updates",...}}.
   *
   * @param expiresAt when the connection's token expires, or {@code null} if it does not
   */
  public static String connected(String userId, String connectionId, Instant expiresAt, Instant now) {
    StringBuilder b = start("connected", 160);
    field(b, "message", "Connected to live updates");
    field(b, "userId", userId);
    field(b, "connectionId", connectionId);
    if (expiresAt != null) {
      field(b, "expiresAt", timestamp(expiresAt));
    }
    return end(b, now);
  }

  /** {@code {"type":"subscribed","jobId":"J","timestamp":...}}. */
  public static String subscribed(String jobId, Instant now) {
    StringBuilder b = start("subscribed", 96);
    field(b, "jobId", jobId);
    return end(b, now);
  }

  /**
   * {@code {"type":"subscribed","jobId":"J","recovered":R,"timestamp":...}} (v1.1): the answer to a resuming
   * subscribe; {@code recovered} null leaves the field out, as for a plain subscribe.
   */
  public static String subscribed(String jobId, Boolean recovered, Instant now) {
    StringBuilder b = start("subscribed", 112);
    field(b, "jobId", jobId);
    if (recovered != null) {
      b.append(",\"recovered\":").append(recovered.booleanValue());
    }
    return end(b, now);
  }

  /** v1.1: {@code {"type":"synced","count":N,"timestamp":...}}, ending the answer to {@code sync}. */
  public static String synced(int count, Instant now) {
    StringBuilder b = start("synced", 64);
    b.append(",\"count\":").append(count);
    return end(b, now);
  }

  /** v1.1 extension: {@code {"type":"options","batch":B,"batchWindowMs":N,"timestamp":...}}, the options in force. */
  public static String options(boolean batch, long batchWindowMs, Instant now) {
    StringBuilder b = start("options", 96);
    b.append(",\"batch\":").append(batch).append(",\"batchWindowMs\":").append(batchWindowMs);
    return end(b, now);
  }

  /**
   * v1.1 extension: {@code {"type":"batch","events":[<progress frame>...],"timestamp":...}}; each element is
   * exactly a {@link #progress} frame.
   */
  public static String batch(java.util.List<ProgressEvent> events, Instant now) {
    int capacity = 64;
    for (ProgressEvent e : events) {
      capacity += progressCapacity(e) + 1;
    }
    StringBuilder b = start("batch", capacity).append(",\"events\":[");
    for (int i = 0; i < events.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      appendProgress(b, events.get(i));
    }
    b.append(']');
    return end(b, now);
  }

  /** {@code {"type":"unsubscribed","jobId":"J","timestamp":...}}. */
  public static String unsubscribed(String jobId, Instant now) {
    StringBuilder b = start("unsubscribed", 96);
    field(b, "jobId", jobId);
    return end(b, now);
  }

  /** {@code {"type":"pong","timestamp":...}}. */
  public static String pong(Instant now) {
    return end(start("pong", 64), now);
  }

  /**
   * {@code {"type":"error","error":"<text>","code":"<code>","timestamp":...}}, with {@code jobId} when the
   * error is about a job.
   */
  public static String error(ErrorCode code, String jobId, Instant now) {
    StringBuilder b = start("error", 128);
    field(b, "error", code.text());
    field(b, "code", code.code());
    if (jobId != null) {
      field(b, "jobId", jobId);
    }
    return end(b, now);
  }

  /** Extension: {@code {"type":"token_expiring","expiresAt":...}}, sent shortly before the token expires. */
  public static String tokenExpiring(Instant expiresAt, Instant now) {
    StringBuilder b = start("token_expiring", 96);
    field(b, "expiresAt", timestamp(expiresAt));
    return end(b, now);
  }

  /** Extension: {@code {"type":"token_refreshed","expiresAt":...}}, the answer to an accepted refresh. */
  public static String tokenRefreshed(Instant expiresAt, Instant now) {
    StringBuilder b = start("token_refreshed", 96);
    if (expiresAt != null) {
      field(b, "expiresAt", timestamp(expiresAt));
    }
    return end(b, now);
  }

  /**
   * {@code {"type":"progress","jobId","userId","status","progress","stage","message","timestamp","seq"}}
   * plus {@code epoch} when assigned. The timestamp is the event's own. Also the polling endpoint's body.
   */
  public static String progress(ProgressEvent e) {
    StringBuilder b = new StringBuilder(progressCapacity(e));
    appendProgress(b, e);
    return b.toString();
  }

  /** Builder capacity that holds {@code e}'s progress frame without growing, unless it needs many escapes. */
  private static int progressCapacity(ProgressEvent e) {
    return PROGRESS_FIXED + ESCAPE_SLACK + e.jobId().length() + e.userId().length() + e.stage().length()
        + e.message().length() + (e.epoch() == null ? 0 : e.epoch().length());
  }

  private static void appendProgress(StringBuilder b, ProgressEvent e) {
    b.append("{\"type\":\"progress\"");
    field(b, "jobId", e.jobId());
    field(b, "userId", e.userId());
    field(b, "status", e.status().wireName());
    b.append(",\"progress\":").append(e.progress());
    field(b, "stage", e.stage());
    field(b, "message", e.message());
    timestampField(b, e.timestamp());
    b.append(",\"seq\":").append(e.seq());
    if (e.epoch() != null) {
      field(b, "epoch", e.epoch());
    }
    b.append('}');
  }

  /** The progress frame of {@code e}, replaceable by a newer one unless it is terminal. */
  public static OutboundFrame progressFrame(ProgressEvent e) {
    return new OutboundFrame(progress(e), e.jobId(), !e.isTerminal(), e.seq(), e.epoch());
  }

  private static StringBuilder start(String type, int capacity) {
    return new StringBuilder(capacity).append("{\"type\":\"").append(type).append('"');
  }

  private static String end(StringBuilder b, Instant now) {
    timestampField(b, now);
    return b.append('}').toString();
  }

  /** {@code ,"timestamp":"<ISO-8601>"}, written straight into the frame. */
  private static void timestampField(StringBuilder b, Instant t) {
    b.append(",\"timestamp\":\"");
    IsoTimestamp.append(b, t);
    b.append('"');
  }

  private static void field(StringBuilder b, String name, String value) {
    b.append(",\"").append(name).append("\":");
    quote(b, value);
  }

  /** Appends {@code s} as a JSON string literal (RFC 8259 escaping). */
  static void quote(StringBuilder b, String s) {
    b.append('"');
    int plain = 0;
    while (plain < s.length() && !needsEscape(s.charAt(plain))) {
      plain++;
    }
    if (plain == s.length()) {
      b.append(s).append('"'); // the usual case: one bulk copy instead of a call per character
      return;
    }
    b.append(s, 0, plain);
    for (int i = plain; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': b.append("\\\""); break;
        case '\\': b.append("\\\\"); break;
        case '\n': b.append("\\n"); break;
        case '\r': b.append("\\r"); break;
        case '\t': b.append("\\t"); break;
        default:
          if (needsEscape(c)) {
            b.append("\\u").append(HEX[c >> 12]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf])
                .append(HEX[c & 0xf]);
          } else {
            b.append(c);
          }
      }
    }
    b.append('"');
  }

  /** Whether {@link #quote} writes {@code c} other than as itself. */
  private static boolean needsEscape(char c) {
    return c < 0x20 || c == '"' || c == '\\' || c == '\u2028' || c == '\u2029';
  }
}
