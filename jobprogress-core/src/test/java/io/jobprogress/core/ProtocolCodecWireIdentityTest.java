package io.jobprogress.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The hand-written timestamp and the presized frame builders write byte for byte what the encoder wrote
 * with {@code DateTimeFormatter} and {@code String.format}: the old code is kept here as the oracle and
 * compared over edge instants and many random instants and events.
 *
 * <p>Reproducible: failures name the seed; rerun with {@code -Dfuzz.seed=<seed>}.
 */
class ProtocolCodecWireIdentityTest {
  private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
  private static final DateTimeFormatter OLD_ISO =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);
  private static final String[] EDGES = {
      "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z", "1970-01-01T00:00:00.000999999Z",
      "0000-01-01T00:00:00Z", "0000-02-29T12:00:00.5Z", "-0001-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999999999Z",
      "+10000-01-01T00:00:00Z", "1900-02-28T23:59:59Z", "1900-03-01T00:00:00Z", "2000-02-29T00:00:00Z",
      "2024-02-29T23:59:59.001Z", "2100-03-01T00:00:00Z", "1600-02-29T06:07:08.09Z", "0400-12-31T23:59:59Z"};

  @Test
  void timestampsAreWhatTheFormatterWrote() {
    List<Instant> instants = new ArrayList<>(List.of(Instant.MIN, Instant.MAX, Instant.EPOCH));
    for (String edge : EDGES) {
      instants.add(Instant.parse(edge));
    }
    Random random = new Random(SEED);
    for (int i = 0; i < 200_000; i++) {
      long second = switch (i % 4) {
        case 0 -> random.nextLong(-62_167_219_200L - 86_400, 253_402_300_799L + 86_400); // years 0..9999, edges
        case 1 -> random.nextLong(0, 4_102_444_800L); // 1970..2100
        case 2 -> random.nextLong(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond());
        default -> 1_700_000_000L + random.nextInt(86_400 * 3);
      };
      instants.add(Instant.ofEpochSecond(second, random.nextInt(1_000_000_000)));
    }
    for (Instant t : instants) {
      assertEquals(outcome(() -> OLD_ISO.format(t)), outcome(() -> ProtocolCodec.timestamp(t)),
          () -> t + " (-Dfuzz.seed=" + SEED + ")");
    }
  }

  /** The text, or the exception (the formatter refuses the extremes of {@code Instant}; so must the new code). */
  private static String outcome(Supplier<String> format) {
    try {
      return format.get();
    } catch (RuntimeException e) {
      return "threw " + e;
    }
  }

  @Test
  void framesAreByteIdenticalToTheOldEncoder() {
    Random random = new Random(SEED + 1);
    List<ProgressEvent> batch = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      ProgressEvent e = randomEvent(random);
      String where = " (event #" + i + ", -Dfuzz.seed=" + SEED + "): " + e;
      assertEquals(oldProgress(e), ProtocolCodec.progress(e), where);
      assertEquals(oldProgress(e), ProtocolCodec.progressFrame(e).text(), where);
      Instant now = e.timestamp();
      assertEquals(oldStart("pong") + oldEnd(now), ProtocolCodec.pong(now), where);
      assertEquals(oldStart("error") + oldField("error", ErrorCode.INVALID_DATA.text())
          + oldField("code", ErrorCode.INVALID_DATA.code()) + oldField("jobId", e.jobId()) + oldEnd(now),
          ProtocolCodec.error(ErrorCode.INVALID_DATA, e.jobId(), now), where);
      batch.add(e);
      if (batch.size() == 1 + i % 7) {
        StringBuilder old = new StringBuilder(oldStart("batch")).append(",\"events\":[");
        for (int k = 0; k < batch.size(); k++) {
          old.append(k == 0 ? "" : ",").append(oldProgress(batch.get(k)));
        }
        assertEquals(old.append(']').append(oldEnd(now)).toString(), ProtocolCodec.batch(batch, now), where);
        batch.clear();
      }
    }
  }

  private static ProgressEvent randomEvent(Random random) {
    String message = random.nextInt(4) == 0 ? text(random, random.nextInt(ProgressEvent.MAX_MESSAGE + 1))
        : text(random, random.nextInt(60));
    long seq = random.nextInt(3) == 0 ? 0 : random.nextLong(1, Long.MAX_VALUE);
    return new ProgressEvent(id(random), id(random), JobStatus.values()[random.nextInt(5)], random.nextInt(101),
        text(random, random.nextInt(ProgressEvent.MAX_STAGE + 1)), message,
        Instant.ofEpochSecond(random.nextLong(-62_167_219_200L, 253_402_300_799L), random.nextInt(1_000_000_000)),
        seq, seq == 0 ? null : id(random).substring(0, 1).repeat(1 + random.nextInt(64)));
  }

  private static String id(Random random) {
    String chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-";
    StringBuilder b = new StringBuilder();
    for (int i = random.nextInt(1, Ids.MAX_LENGTH + 1); i > 0; i--) {
      b.append(chars.charAt(random.nextInt(chars.length())));
    }
    return b.toString();
  }

  /** Mostly printable ASCII, with every character the encoder escapes and some beyond Latin-1. */
  private static String text(Random random, int length) {
    String special = "\"\\\n\r\t\u0000\u0001\u001f\u007f\u2028\u2029\u00e9\u4e2d\ud83d\ude00/<>&'";
    StringBuilder b = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      b.append(random.nextInt(8) == 0 ? special.charAt(random.nextInt(special.length()))
          : (char) random.nextInt(0x20, 0x7f));
    }
    return b.toString();
  }

  // ---------------------------------------------------------------- the old encoder, verbatim

  private static String oldProgress(ProgressEvent e) {
    StringBuilder b = new StringBuilder(oldStart("progress"));
    b.append(oldField("jobId", e.jobId())).append(oldField("userId", e.userId()))
        .append(oldField("status", e.status().wireName())).append(",\"progress\":").append(e.progress())
        .append(oldField("stage", e.stage())).append(oldField("message", e.message()))
        .append(oldField("timestamp", OLD_ISO.format(e.timestamp()))).append(",\"seq\":").append(e.seq());
    if (e.epoch() != null) {
      b.append(oldField("epoch", e.epoch()));
    }
    return b.append('}').toString();
  }

  private static String oldStart(String type) {
    return "{\"type\":\"" + type + '"';
  }

  private static String oldEnd(Instant now) {
    return oldField("timestamp", OLD_ISO.format(now)) + '}';
  }

  private static String oldField(String name, String s) {
    StringBuilder b = new StringBuilder(",\"").append(name).append("\":\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': b.append("\\\""); break;
        case '\\': b.append("\\\\"); break;
        case '\n': b.append("\\n"); break;
        case '\r': b.append("\\r"); break;
        case '\t': b.append("\\t"); break;
        default:
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
      }
    }
    return b.append('"').toString();
  }
}
