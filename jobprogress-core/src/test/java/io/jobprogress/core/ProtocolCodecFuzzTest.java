package io.jobprogress.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ProtocolCodec#decode} is total: 120,000 generated inputs (arbitrary strings, token soup, mutated
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

  /** Decodes {@code count} generated inputs, checks each, and returns which outcomes were seen. */
  private static Set<String> checkTotal(String kind, int count, int stream, Function<FrameFuzzer, String> generator) {
    FrameFuzzer fuzzer = new FrameFuzzer(SEED + stream);
    Set<String> outcomes = new TreeSet<>();
    for (int i = 0; i < count; i++) {
      String input = generator.apply(fuzzer);
      int n = i;
      Supplier<String> where = () -> kind + " input #" + n + " (-Dfuzz.seed=" + SEED + "): " + shown(input);
      ClientFrame f;
      try {
        f = ProtocolCodec.decode(input);
      } catch (Throwable t) {
        throw new AssertionError("decode threw " + t + " for " + where.get(), t);
      }
      assertWellFormed(f, where);
      outcomes.add(f instanceof ClientFrame.Invalid inv ? inv.error().name() : f.getClass().getSimpleName());
    }
    return outcomes;
  }

  static void assertWellFormed(ClientFrame f, Supplier<String> where) {
    if (f == null) {
      throw new AssertionError("decode returned null for " + where.get());
    }
    if (f instanceof ClientFrame.Invalid inv) {
      if (inv.error() == null || inv.detail() == null || inv.detail().isBlank()) {
        throw new AssertionError("Invalid without code or text: " + inv + " for " + where.get());
      }
    } else if (f instanceof ClientFrame.Subscribe s) {
      requireValidId(s.jobId(), where);
    } else if (f instanceof ClientFrame.Unsubscribe u) {
      requireValidId(u.jobId(), where);
    } else if (f instanceof ClientFrame.Refresh r) {
      requireToken(r.token(), where);
    } else if (!(f instanceof ClientFrame.Ping)) {
      throw new AssertionError("unexpected frame " + f + " for " + where.get());
    }
  }

  private static void requireValidId(String id, Supplier<String> where) {
    if (!Ids.isValid(id)) {
      throw new AssertionError("command with invalid jobId " + shown(id) + " for " + where.get());
    }
  }

  private static void requireToken(String token, Supplier<String> where) {
    if (token == null || token.isEmpty()) {
      throw new AssertionError("token command without token for " + where.get());
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
    checkTotal("arbitrary", 25_000, 0, FrameFuzzer::arbitraryString);
  }

  @Test
  void jsonTokenSoupDecodesToACommandOrAnInvalidFrame() {
    checkTotal("soup", 30_000, 1, FrameFuzzer::tokenSoup);
  }

  @Test
  void mutatedValidFramesDecodeToACommandOrAnInvalidFrame() {
    Set<String> seen = checkTotal("mutated", 45_000, 2, FrameFuzzer::mutatedFrame);
    // the mutations must reach deep into the decoder, not only fail at the first character
    // (each outcome shows up ~100+ times per 45,000 inputs for any seed, so this is not flaky)
    assertTrue(seen.containsAll(Set.of("Ping", "Subscribe", "Unsubscribe", "Refresh", "INVALID_JSON",
        "NOT_AN_OBJECT", "MISSING_TYPE", "UNKNOWN_TYPE", "INVALID_DATA", "MISSING_JOB_ID", "INVALID_JOB_ID",
        "MISSING_TOKEN", "TOO_COMPLEX")), "outcomes seen: " + seen);
  }

  @Test
  void deepNestingHugeNumbersAndLongStringsDecodeToACommandOrAnInvalidFrame() {
    checkTotal("pathological", 600, 3, FrameFuzzer::pathological);
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
