package io.jobprogress.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ProtocolCodec#decode} is total: 130,000+ generated inputs (arbitrary strings, token soup, mutated
 * valid frames, deep nesting, huge numbers) each decode to a command or to {@link ClientFrame.Invalid} with
 * text, and nothing throws. Valid generated frames decode to exactly their command.
 *
 * <p>Reproducible: every failure names the seed and the input's index; rerun with
 * {@code mvn -pl jobprogress-core test -Dtest=ProtocolCodecFuzzTest -Dfuzz.seed=<seed>}. Without
 * {@code fuzz.seed} each run picks a new seed. The only time bound is the generous class-level timeout.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProtocolCodecFuzzTest {
  private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());

  private static void checkTotal(String kind, int count, int stream, Function<FrameFuzzer, String> generator) {
    FrameFuzzer fuzzer = new FrameFuzzer(SEED + stream);
    for (int i = 0; i < count; i++) {
      String input = generator.apply(fuzzer);
      String where = kind + " input #" + i + " (-Dfuzz.seed=" + SEED + "): " + shown(input);
      ClientFrame f;
      try {
        f = ProtocolCodec.decode(input);
      } catch (Throwable t) {
        throw new AssertionError("decode threw " + t + " for " + where, t);
      }
      assertWellFormed(f, where);
    }
  }

  static void assertWellFormed(ClientFrame f, String where) {
    if (f == null) {
      throw new AssertionError("decode returned null for " + where);
    }
    if (f instanceof ClientFrame.Invalid inv) {
      if (inv.error() == null || inv.detail() == null || inv.detail().isBlank()) {
        throw new AssertionError("Invalid without code or text: " + inv + " for " + where);
      }
    } else if (f instanceof ClientFrame.Subscribe s) {
      requireValidId(s.jobId(), where);
    } else if (f instanceof ClientFrame.Unsubscribe u) {
      requireValidId(u.jobId(), where);
    } else if (f instanceof ClientFrame.Refresh r) {
      requireToken(r.token(), where);
    } else if (f instanceof ClientFrame.Auth a) {
      requireToken(a.token(), where);
    } else if (!(f instanceof ClientFrame.Ping)) {
      throw new AssertionError("unexpected frame " + f + " for " + where);
    }
  }

  private static void requireValidId(String id, String where) {
    if (!Ids.isValid(id)) {
      throw new AssertionError("command with invalid jobId " + shown(id) + " for " + where);
    }
  }

  private static void requireToken(String token, String where) {
    if (token == null || token.isEmpty()) {
      throw new AssertionError("token command without token for " + where);
    }
  }

  private static String shown(String s) {
    if (s == null) {
      return "null";
    }
    String cut = s.length() > 300 ? s.substring(0, 300) + "...(" + s.length() + " chars)" : s;
    StringBuilder b = new StringBuilder("\"");
    cut.chars().forEach(c -> b.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : String.valueOf((char) c)));
    return b.append('"').toString();
  }

  @Test
  void arbitraryStringsDecodeToACommandOrAnInvalidFrame() {
    checkTotal("arbitrary", 30_000, 0, FrameFuzzer::arbitraryString);
  }

  @Test
  void jsonTokenSoupDecodesToACommandOrAnInvalidFrame() {
    checkTotal("soup", 30_000, 1, FrameFuzzer::tokenSoup);
  }

  @Test
  void mutatedValidFramesDecodeToACommandOrAnInvalidFrame() {
    checkTotal("mutated", 50_000, 2, FrameFuzzer::mutatedFrame);
  }

  @Test
  void deepNestingHugeNumbersAndLongStringsDecodeToACommandOrAnInvalidFrame() {
    checkTotal("pathological", 1_000, 3, FrameFuzzer::pathological);
  }

  @Test
  void everyGeneratedValidFrameDecodesToItsCommand() {
    FrameFuzzer fuzzer = new FrameFuzzer(SEED + 4);
    for (int i = 0; i < 20_000; i++) {
      FrameFuzzer.Valid v = fuzzer.validFrame();
      int n = i;
      assertEquals(v.expected(), ProtocolCodec.decode(v.text()),
          () -> "valid input #" + n + " (-Dfuzz.seed=" + SEED + "): " + shown(v.text()));
    }
  }
}
