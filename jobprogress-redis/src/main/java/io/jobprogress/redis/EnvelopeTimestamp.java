package io.jobprogress.redis;

import java.time.Instant;

/**
 * Reads an envelope's {@code timestamp}. The exact form the codec writes ({@code 2025-11-24T00:15:30.123Z}:
 * years 0000..9999, three fraction digits, UTC) is parsed by hand, without the ~1 KB that {@code Instant.parse}
 * allocates per call; everything else, valid or not, goes to {@link Instant#parse}, so the result and the
 * error are exactly its own.
 *
 * <p>Stateless and thread-safe.
 */
final class EnvelopeTimestamp {
  private static final int LENGTH = 24; // uuuu-MM-ddTHH:mm:ss.SSSZ

  private EnvelopeTimestamp() {}

  /**
   * The instant {@code text} denotes.
   *
   * @throws java.time.format.DateTimeParseException as {@link Instant#parse} does
   */
  static Instant parse(String text) {
    if (text.length() != LENGTH || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
        || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(19) != '.' || text.charAt(23) != 'Z') {
      return Instant.parse(text);
    }
    int year = number(text, 0, 4);
    int month = number(text, 5, 2);
    int day = number(text, 8, 2);
    int hour = number(text, 11, 2);
    int minute = number(text, 14, 2);
    int second = number(text, 17, 2);
    int millis = number(text, 20, 3);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > lengthOfMonth(year, month) || hour < 0
        || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || millis < 0) {
      return Instant.parse(text); // not the plain form (a leap second, say): the JDK decides
    }
    long epochDay = epochDay(year, month, day);
    return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600 + minute * 60 + second, millis * 1_000_000L);
  }

  /** The ASCII digits at {@code from..from+count} as a number, or -1 if any is not one. */
  private static int number(String s, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static int lengthOfMonth(int year, int month) {
    return switch (month) {
      case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  /** Days from 1970-01-01 (H. Hinnant's algorithm, proleptic Gregorian, eras of 400 years from March). */
  private static long epochDay(int year, int month, int day) {
    int y = month <= 2 ? year - 1 : year;
    int era = Math.floorDiv(y, 400);
    int yearOfEra = y - era * 400;
    int dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146_097L + dayOfEra - 719_468;
  }
}
