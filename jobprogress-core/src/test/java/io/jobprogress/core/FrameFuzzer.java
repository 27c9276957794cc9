package io.jobprogress.core;

import java.util.SplittableRandom;

/**
 * Generates hostile client frames from a seed: arbitrary strings, JSON-ish token soup, valid frames and
 * mutations of them, and pathological shapes (deep nesting, huge numbers, long strings). The same seed
 * gives the same inputs. Not thread-safe (one per thread).
 */
final class FrameFuzzer {
  private static final String[] SOUP = {
    "{", "}", "[", "]", ":", ",", " ", "\n", "\t", "\"", "\\", "\"type\"", "\"data\"", "\"jobId\"", "\"token\"",
    "\"subscribe\"", "\"unsubscribe\"", "\"ping\"", "\"refresh\"", "\"auth\"", "\"job:*\"", "\"j-1\"", "null", "true",
    "false", "0", "-0", "1.5e3", "1e999999", "-1e999999", "99999999999999999999999", "NaN", "Infinity", "-Infinity",
    "'ping'", "/* c */", "// c\n", "\"\\u0000\"", "\"\\uD800\"", "\"\\u12\"", "\"\\x41\"", "\u2028", "\uFEFF", "é", "😀",
    "\u0000", "\u001f", "#", "=", ";", "type", "ping", "\"\"",
  };
  private static final String[] VALUES = {
    "null", "true", "false", "0", "-1", "1e999999", "99999999999999999999999", "[]", "{}", "\"\"", "\"x\"",
    "[1,[2,[3]]]", "{\"jobId\":5}", "\"job:*\"", "-0.0e-0",
  };
  private static final String ID_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-";

  private final SplittableRandom random;

  FrameFuzzer(long seed) {
    this.random = new SplittableRandom(seed);
  }

  int nextInt(int bound) {
    return random.nextInt(bound);
  }

  /** Any characters: ASCII, control characters, structural JSON, BMP, lone surrogates, emoji. */
  String arbitraryString() {
    int len = random.nextInt(random.nextInt(10) == 0 ? 2000 : 120);
    StringBuilder b = new StringBuilder(len);
    for (int i = 0; i < len; i++) {
      b.append(randomChar());
    }
    return b.toString();
  }

  private char randomChar() {
    switch (random.nextInt(6)) {
      case 0: return (char) random.nextInt(0x20);
      case 1: return "{}[]:,\"\\ ".charAt(random.nextInt(9));
      case 2: return (char) (0xD800 + random.nextInt(0x800)); // surrogates, often unpaired
      case 3: return (char) random.nextInt(0x10000);
      default: return (char) (0x20 + random.nextInt(0x5f));
    }
  }

  /** A sequence of JSON-ish tokens, often almost a frame. */
  String tokenSoup() {
    int n = random.nextInt(40);
    StringBuilder b = new StringBuilder();
    if (random.nextBoolean()) {
      b.append('{');
    }
    for (int i = 0; i < n; i++) {
      b.append(SOUP[random.nextInt(SOUP.length)]);
    }
    return b.toString();
  }

  /** A valid job id of 1..128 characters. */
  String jobId() {
    int len = 1 + (random.nextInt(8) == 0 ? random.nextInt(128) : random.nextInt(12));
    StringBuilder b = new StringBuilder(len);
    for (int i = 0; i < len; i++) {
      b.append(ID_CHARS.charAt(random.nextInt(ID_CHARS.length())));
    }
    return b.toString();
  }

  /** A valid frame and the command it must decode to. */
  record Valid(String text, ClientFrame expected) {}

  Valid validFrame() {
    String ws = random.nextBoolean() ? "" : " \n\t".substring(0, 1 + random.nextInt(3));
    String extra = random.nextInt(3) == 0 ? ws + ",\"x" + random.nextInt(9) + "\":" + VALUES[random.nextInt(VALUES.length)] : "";
    switch (random.nextInt(5)) {
      case 0:
        return new Valid(ws + "{\"type\":\"ping\"" + extra + "}" + ws, new ClientFrame.Ping());
      case 1:
      case 2: {
        String id = jobId();
        boolean sub = random.nextBoolean();
        String data = random.nextBoolean()
            ? "{\"jobId\":\"" + id + "\"" + extra + "}" : "{" + extra.replaceFirst("^\\s*,", "") + (extra.isEmpty() ? "" : ",") + "\"jobId\":\"" + id + "\"}";
        String text = random.nextBoolean()
            ? "{\"type\":\"" + (sub ? "subscribe" : "unsubscribe") + "\"," + ws + "\"data\":" + data + "}"
            : "{\"data\":" + data + ",\"type\":" + ws + "\"" + (sub ? "subscribe" : "unsubscribe") + "\"}";
        return new Valid(text, sub ? new ClientFrame.Subscribe(id) : new ClientFrame.Unsubscribe(id));
      }
      default: {
        String token = jobId() + "." + jobId() + "." + jobId();
        boolean refresh = random.nextBoolean();
        String text = "{\"type\":\"" + (refresh ? "refresh" : "auth") + "\",\"data\":{\"token\":\"" + token + "\"" + extra + "}}";
        return new Valid(text, new ClientFrame.Refresh(token)); // "auth" is an alias of "refresh"
      }
    }
  }

  /** A valid frame with 1..5 random mutations. */
  String mutatedFrame() {
    StringBuilder b = new StringBuilder(validFrame().text());
    int mutations = 1 + random.nextInt(5);
    for (int m = 0; m < mutations; m++) {
      int pos = b.length() == 0 ? 0 : random.nextInt(b.length());
      switch (random.nextInt(10)) {
        case 0: if (b.length() > 0) { b.deleteCharAt(pos); } break;
        case 1: b.insert(pos, randomChar()); break;
        case 2: if (b.length() > 0) { b.setCharAt(pos, randomChar()); } break;
        case 3: b.insert(pos, SOUP[random.nextInt(SOUP.length)]); break;
        case 4: b.setLength(pos); break;
        case 5: b.append(SOUP[random.nextInt(SOUP.length)]); break; // trailing garbage
        case 6: replaceFirstString(b, VALUES[random.nextInt(VALUES.length)]); break; // wrong type
        case 7: { // duplicate key
          int i = b.indexOf("\"type\"");
          if (i >= 0) {
            b.insert(b.length() - 1, ",\"type\":" + VALUES[random.nextInt(VALUES.length)]);
          }
          break;
        }
        case 8: { // nest
          int depth = random.nextInt(40);
          b.insert(0, "[".repeat(depth)).append("]".repeat(depth));
          break;
        }
        default: b.insert(pos, random.nextBoolean() ? "1e999999" : "99999999999999999999999"); break;
      }
    }
    return b.toString();
  }

  private void replaceFirstString(StringBuilder b, String value) {
    int start = b.indexOf(":\"");
    if (start < 0) {
      return;
    }
    int end = b.indexOf("\"", start + 2);
    if (end > 0) {
      b.replace(start + 1, end + 1, value);
    }
  }

  /** Deep nesting (up to 100,000 levels), huge numbers or very long strings, inside or outside a frame. */
  String pathological() {
    int depth = random.nextInt(5) == 0 ? 100_000 : 1 + random.nextInt(2_000);
    switch (random.nextInt(6)) {
      case 0: return "[".repeat(depth);
      case 1: return "{\"a\":".repeat(depth) + "1" + "}".repeat(random.nextInt(depth + 1));
      case 2: return "{\"type\":\"ping\",\"x\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
      case 3: return "{\"type\":\"subscribe\",\"data\":{\"jobId\":" + "9".repeat(depth) + "}}";
      case 4: return "{\"type\":\"subscribe\",\"data\":{\"jobId\":\"" + "j".repeat(depth) + "\"}}";
      default: return "{\"type\":\"" + "\\u0041".repeat(depth) + "\",\"n\":-" + "1".repeat(depth) + "e-" + depth + "}";
    }
  }
}
