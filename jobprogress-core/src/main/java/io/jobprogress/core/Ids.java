package io.jobprogress.core;

/**
 * Validation of job and user ids: 1..128 characters of {@code [A-Za-z0-9._:-]}, safe inside Redis channel
 * names (no glob characters) and URLs.
 *
 * <p>Stateless and thread-safe.
 */
public final class Ids {
  /** Longest accepted id. */
  public static final int MAX_LENGTH = 128;

  private Ids() {}

  /** Whether {@code id} is a valid job or user id. */
  public static boolean isValid(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == ':' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns {@code id} when valid.
   *
   * @param field the field name used in the error, e.g. {@code "jobId"}
   * @throws IllegalArgumentException naming the field and the (shortened) value otherwise
   */
  public static String require(String field, String id) {
    if (!isValid(id)) {
      throw new IllegalArgumentException(field + " must be 1.." + MAX_LENGTH
          + " characters of [A-Za-z0-9._:-], was " + quote(id));
    }
    return id;
  }

  /** Quotes a value for an error message, cut to 40 characters so errors stay readable. */
  static String quote(String value) {
    if (value == null) {
      return "null";
    }
    String shown = value.length() > 40 ? value.substring(0, 40) + "...(" + value.length() + " chars)" : value;
    return '"' + shown + '"';
  }
}
