package io.jobprogress.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** {@link ConfigSource}: blank is unset, every bad value names its variable and range, secrets never echoed. */
class ConfigSourceTest {
  private enum Mode { INTEREST, PATTERN }

  private static ConfigException refused(Map<String, String> values, Function<ConfigSource, ?> read) {
    return assertThrows(ConfigException.class, () -> read.apply(ConfigSource.of(values)));
  }

  @Test
  void unsetEmptyAndBlankValuesAllGiveTheDefault() {
    Map<String, String> values = new HashMap<>();
    values.put("EMPTY", "");
    values.put("BLANK", " \t ");
    values.put("NULL", null);
    ConfigSource c = ConfigSource.of(values);
    for (String name : List.of("MISSING", "EMPTY", "BLANK", "NULL")) {
      assertEquals(7, c.integer(name, 7, 1, 10));
      assertEquals(Duration.ofMillis(5), c.millis(name, Duration.ofMillis(5), Duration.ZERO, ConfigSource.UNBOUNDED));
      assertEquals(Duration.ofSeconds(5), c.seconds(name, Duration.ofSeconds(5), Duration.ZERO, Duration.ofHours(1)));
      assertEquals(2.5, c.positiveDecimal(name, 2.5, 100));
      assertTrue(c.bool(name, true));
      assertEquals("d", c.string(name, "d"));
      assertNull(c.string(name));
      assertNull(c.secret(name));
      assertEquals(List.of(), c.list(name));
      assertEquals(Mode.INTEREST, c.choice(name, Mode.INTEREST, Mode.class));
      assertFalse(c.isSet(name));
    }
  }

  @Test
  void goodValuesAreTrimmedAndParsed() {
    ConfigSource c = ConfigSource.of(Map.of("N", " 42 ", "MS", "250", "S", "30", "D", "2.5", "B", "FALSE",
        "L", " a, ,b ,", "M", "Pattern", "K", "  key  "));
    assertEquals(42, c.integer("N", 1, 1, 100));
    assertEquals(Duration.ofMillis(250), c.millis("MS", Duration.ZERO, Duration.ZERO, ConfigSource.UNBOUNDED));
    assertEquals(Duration.ofSeconds(30), c.seconds("S", Duration.ZERO, Duration.ZERO, Duration.ofHours(1)));
    assertEquals(2.5, c.positiveDecimal("D", 1, 10));
    assertFalse(c.bool("B", true));
    assertEquals(List.of("a", "b"), c.list("L"));
    assertEquals(Mode.PATTERN, c.choice("M", Mode.INTEREST, Mode.class));
    assertEquals("key", c.secret("K"));
    assertTrue(c.isSet("K"));
  }

  @Test
  void eachBadValueNamesItsVariableTheRangeAndTheValue() {
    assertEquals("JP_X must be a whole number in 1..100, was \"ten\"",
        refused(Map.of("JP_X", "ten"), c -> c.integer("JP_X", 5, 1, 100)).getMessage());
    assertEquals("JP_X must be in 1..100, was \"101\"",
        refused(Map.of("JP_X", "101"), c -> c.integer("JP_X", 5, 1, 100)).getMessage());
    assertEquals("JP_X must be >= 1, was \"0\"",
        refused(Map.of("JP_X", "0"), c -> c.integer("JP_X", 5, 1, Integer.MAX_VALUE)).getMessage());
    assertEquals("JP_X must be in 1..2147483647, was \"99999999999\"", // beyond int: refused, not wrapped
        refused(Map.of("JP_X", "99999999999"), c -> c.integer("JP_X", 5, 1, Integer.MAX_VALUE)).getMessage());
    assertEquals("JP_T_MS must be a whole number ms >= 0, was \"5m\"", refused(Map.of("JP_T_MS", "5m"),
        c -> c.millis("JP_T_MS", Duration.ZERO, Duration.ZERO, ConfigSource.UNBOUNDED)).getMessage());
    assertEquals("JWT_S_SECONDS must be in 0..3600 s, was \"3601\"", refused(Map.of("JWT_S_SECONDS", "3601"),
        c -> c.seconds("JWT_S_SECONDS", Duration.ZERO, Duration.ZERO, Duration.ofHours(1))).getMessage());
    assertEquals("JP_R must be a number > 0 and <= 1000, was \"-2\"",
        refused(Map.of("JP_R", "-2"), c -> c.positiveDecimal("JP_R", 1, 1000)).getMessage());
    assertEquals("JP_R must be a number > 0 and <= 1000, was \"NaN\"",
        refused(Map.of("JP_R", "NaN"), c -> c.positiveDecimal("JP_R", 1, 1000)).getMessage());
    assertEquals("WS_ENABLED must be true or false, was \"no\"",
        refused(Map.of("WS_ENABLED", "no"), c -> c.bool("WS_ENABLED", true)).getMessage());
    assertEquals("REDIS_MODE must be interest or pattern, was \"fanout\"",
        refused(Map.of("REDIS_MODE", "fanout"), c -> c.choice("REDIS_MODE", Mode.INTEREST, Mode.class)).getMessage());
    ConfigException e = refused(Map.of("JP_X", "x".repeat(500)), c -> c.integer("JP_X", 5, 1, 100));
    assertEquals("JP_X", e.variable());
    assertTrue(e.getMessage().length() < 120, "a long value is shortened: " + e.getMessage());
  }

  @Test
  void aGoodConfigurationWorksAfterABadOne() {
    Map<String, String> values = new HashMap<>(Map.of("JP_X", "oops"));
    ConfigSource c = ConfigSource.of(values::get);
    assertThrows(ConfigException.class, () -> c.integer("JP_X", 5, 1, 100));
    values.put("JP_X", "6");
    assertEquals(6, c.integer("JP_X", 5, 1, 100));
  }

  @Test
  void theObserverHearsEveryReadWithItsDefaultAndWhetherItIsSecret() {
    List<String> reads = new ArrayList<>();
    ConfigSource c = ConfigSource.of(Map.of()).observed((name, def, secret) -> reads.add(name + "=" + def
        + (secret ? " (secret)" : "")));
    c.integer("A", 7, 1, 10);
    c.millis("B_MS", Duration.ofSeconds(2), Duration.ZERO, ConfigSource.UNBOUNDED);
    c.seconds("C_SECONDS", Duration.ofHours(1), Duration.ZERO, ConfigSource.UNBOUNDED);
    c.positiveDecimal("D", 20, 100);
    c.bool("E", true);
    c.string("F");
    c.secret("G");
    c.list("H");
    c.choice("I", Mode.INTEREST, Mode.class);
    assertEquals(List.of("A=7", "B_MS=2000", "C_SECONDS=3600", "D=20", "E=true", "F=null", "G=null (secret)",
        "H=", "I=interest"), reads);
  }
}
