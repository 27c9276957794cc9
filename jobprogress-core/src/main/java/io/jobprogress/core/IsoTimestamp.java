package io.jobprogress.core;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Writes an instant as every frame and payload carries it: ISO-8601 UTC with exactly three fraction digits,
 * e.g. {@code 2025-11-24T00:15:30.123Z}. The text is exactly what {@link #FORMATTER} (pattern
 * {@code uuuu-MM-dd'T'HH:mm:ss.SSSX}) prints, fraction truncated to milliseconds, but years 0000..9999 are
 * written by hand into the caller's builder: the formatter allocates ~880 bytes per call, and a frame is
 * encoded per delivered event. Other years (which the pattern writes with a sign) go through the formatter.
 *
 * <p>Stateless and thread-safe.
 */
final class IsoTimestamp {
  /** The protocol's format; the reference for the hand-written path and its fallback. */
  static final DateTimeFormatter FORMATTER =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);

  /** Characters of a timestamp in years 0000..9999. */
  static final int LENGTH = 24;

  private static final long FIRST_FAST_SECOND = -62_167_219_200L; // 0000-01-01T00:00:00Z
  private static final long LAST_FAST_SECOND = 253_402_300_799L; // 9999-12-31T23:59:59Z
  private static final int SECONDS_PER_DAY = 86_400;

  private IsoTimestamp() {}

  /** The timestamp as a string. */
  static String format(Instant instant) {
    StringBuilder b = new StringBuilder(LENGTH);
    append(b, instant);
    return b.toString();
  }

  /** Appends the timestamp to {@code b} without intermediate objects (years 0000..9999). */
  static void append(StringBuilder b, Instant instant) {
    long second = instant.getEpochSecond();
    if (second < FIRST_FAST_SECOND || second > LAST_FAST_SECOND) {
      FORMATTER.formatTo(instant, b);
      return;
    }
    long days = Math.floorDiv(second, SECONDS_PER_DAY);
    int secondOfDay = (int) Math.floorMod(second, SECONDS_PER_DAY);
    // civil date from days since 1970-01-01 (H. Hinnant's algorithm; eras of 400 years from 0000-03-01)
    long shifted = days + 719_468;
    long era = Math.floorDiv(shifted, 146_097);
    int dayOfEra = (int) (shifted - era * 146_097);
    int yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
    int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    int marchMonth = (5 * dayOfYear + 2) / 153; // 0 = March
    int day = dayOfYear - (153 * marchMonth + 2) / 5 + 1;
    int month = marchMonth < 10 ? marchMonth + 3 : marchMonth - 9;
    int year = (int) (era * 400 + yearOfEra) + (month <= 2 ? 1 : 0);
    digits(b, year, 4).append('-');
    digits(b, month, 2).append('-');
    digits(b, day, 2).append('T');
    digits(b, secondOfDay / 3600, 2).append(':');
    digits(b, secondOfDay / 60 % 60, 2).append(':');
    digits(b, secondOfDay % 60, 2).append('.');
    digits(b, instant.getNano() / 1_000_000, 3).append('Z');
  }

  /** Appends {@code value} (0 <= value < 10^width) zero-padded to {@code width} digits. */
  private static StringBuilder digits(StringBuilder b, int value, int width) {
    for (int unit = width == 4 ? 1000 : width == 3 ? 100 : 10; unit > 0; unit /= 10) {
      b.append((char) ('0' + value / unit % 10));
    }
    return b;
  }
}
