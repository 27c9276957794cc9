package io.jobprogress.core;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Reads named settings (environment variables, servlet-context init parameters, or any other flat
 * {@code name -> value} source such as Spring's {@code Environment::getProperty}) into typed values. Every
 * reader of the library goes through it, so every setting follows the same rules:
 * <ul>
 *   <li>a value that is missing, empty or only blanks is <em>unset</em>: the getter returns its default;</li>
 *   <li>values are trimmed before parsing;</li>
 *   <li>a bad value throws {@link ConfigException} naming the variable, the allowed values or range and the
 *       value given; a {@link #secret secret}'s value is never shown, not even in a cause.</li>
 * </ul>
 * The settings table in {@code docs/operations.md} lists every name the library reads.
 *
 * <p>Immutable; thread-safe as long as the lookup is (a {@code Map} that is not modified meanwhile, or
 * {@code System::getenv}). Never blocks beyond the lookup.
 */
public final class ConfigSource {
  private final Function<String, String> lookup;
  private final Observer observer;

  /** The largest {@link #millis} or {@link #seconds} maximum: no upper bound. */
  public static final Duration UNBOUNDED = Duration.ofMillis(Long.MAX_VALUE);

  /** Told about every read, with the default the reader applies; see {@link #observed}. */
  @FunctionalInterface
  public interface Observer {
    /**
     * @param name the variable read
     * @param defaultValue the default, as it would be written in the variable ({@code null}: no default)
     * @param secret whether the value is a secret
     */
    void read(String name, String defaultValue, boolean secret);
  }

  private ConfigSource(Function<String, String> lookup, Observer observer) {
    this.lookup = Objects.requireNonNull(lookup, "lookup");
    this.observer = observer;
  }

  /** Reads {@code values} (e.g. {@code System.getenv()}). */
  public static ConfigSource of(Map<String, String> values) {
    Objects.requireNonNull(values, "values");
    return new ConfigSource(values::get, null);
  }

  /** Reads through {@code lookup}, which returns a setting's value or {@code null} when it is not set. */
  public static ConfigSource of(Function<String, String> lookup) {
    return new ConfigSource(lookup, null);
  }

  /** The process environment. */
  public static ConfigSource environment() {
    return new ConfigSource(System::getenv, null);
  }

  /** This source, telling {@code observer} about every read (tests use it to list what a reader reads). */
  public ConfigSource observed(Observer observer) {
    return new ConfigSource(lookup, Objects.requireNonNull(observer, "observer"));
  }

  /** The trimmed value of {@code name}, or {@code null} when unset (or blank). Not for secrets. */
  public String string(String name) {
    return string(name, null);
  }

  /** The trimmed value of {@code name}, or {@code defaultValue} when unset. Not for secrets. */
  public String string(String name, String defaultValue) {
    String v = raw(name, defaultValue, false);
    return v == null ? defaultValue : v;
  }

  /**
   * The trimmed value of a secret (a key, a password, a URL that may carry credentials), or {@code null}
   * when unset. Callers that validate it must not put the value in their messages either.
   */
  public String secret(String name) {
    return raw(name, null, true);
  }

  /** Whether {@code name} has a value (not blank). Reports nothing to an observer. */
  public boolean isSet(String name) {
    String v = lookup.apply(name);
    return v != null && !v.isBlank();
  }

  /**
   * A whole number in {@code min..max}.
   *
   * @throws ConfigException naming the variable and the range when the value is not such a number
   */
  public int integer(String name, int defaultValue, int min, int max) {
    return (int) whole(name, defaultValue, min, max, "", Long.toString(defaultValue));
  }

  /** A whole number of milliseconds in {@code min..max} (the variable's name ends in {@code _MS}). */
  public Duration millis(String name, Duration defaultValue, Duration min, Duration max) {
    return Duration.ofMillis(whole(name, defaultValue.toMillis(), min.toMillis(), max.toMillis(), " ms",
        Long.toString(defaultValue.toMillis())));
  }

  /** A whole number of seconds in {@code min..max} (the variable's name ends in {@code _SECONDS}). */
  public Duration seconds(String name, Duration defaultValue, Duration min, Duration max) {
    return Duration.ofSeconds(whole(name, defaultValue.toSeconds(), min.toSeconds(), max.toSeconds(), " s",
        Long.toString(defaultValue.toSeconds())));
  }

  /** A number greater than 0 (fractions allowed, e.g. {@code 2.5}) and at most {@code max}. */
  public double positiveDecimal(String name, double defaultValue, double max) {
    String v = raw(name, decimalText(defaultValue), false);
    if (v == null) {
      return defaultValue;
    }
    double d;
    try {
      d = Double.parseDouble(v);
    } catch (NumberFormatException e) {
      d = Double.NaN;
    }
    if (!(d > 0 && d <= max)) {
      throw bad(name, "must be a number > 0 and <= " + decimalText(max), v);
    }
    return d;
  }

  /** {@code true} or {@code false} (any case). */
  public boolean bool(String name, boolean defaultValue) {
    String v = raw(name, Boolean.toString(defaultValue), false);
    if (v == null) {
      return defaultValue;
    }
    if (v.equalsIgnoreCase("true")) {
      return true;
    }
    if (v.equalsIgnoreCase("false")) {
      return false;
    }
    throw bad(name, "must be true or false", v);
  }

  /** A comma-separated list, entries trimmed, empty entries dropped; unset: the empty list. */
  public List<String> list(String name) {
    String v = raw(name, "", false);
    if (v == null) {
      return List.of();
    }
    return Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  /** One of {@code type}'s constants, written in any case (e.g. {@code pattern} for {@code PATTERN}). */
  public <E extends Enum<E>> E choice(String name, E defaultValue, Class<E> type) {
    String v = raw(name, defaultValue.name().toLowerCase(Locale.ROOT), false);
    if (v == null) {
      return defaultValue;
    }
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(v)) {
        return e;
      }
    }
    String allowed = String.join(" or ", Arrays.stream(type.getEnumConstants())
        .map(e -> e.name().toLowerCase(Locale.ROOT)).toList());
    throw bad(name, "must be " + allowed, v);
  }

  private long whole(String name, long defaultValue, long min, long max, String unit, String defaultText) {
    String v = raw(name, defaultText, false);
    if (v == null) {
      return defaultValue;
    }
    long n;
    try {
      n = Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw bad(name, "must be a whole number" + unit + " " + range(min, max), v);
    }
    if (n < min) {
      throw bad(name, "must be " + range(min, max) + unit, v);
    }
    if (n > max) {
      throw bad(name, "must be in " + min + ".." + max + unit, v);
    }
    return n;
  }

  private static String range(long min, long max) {
    return max >= Integer.MAX_VALUE ? ">= " + min : "in " + min + ".." + max;
  }

  private String raw(String name, String defaultText, boolean secret) {
    if (observer != null) {
      observer.read(name, defaultText, secret);
    }
    String v = lookup.apply(name);
    return v == null || v.isBlank() ? null : v.strip();
  }

  private static ConfigException bad(String name, String rule, String value) {
    String shown = value.length() > 40 ? value.substring(0, 40) + "...(" + value.length() + " chars)" : value;
    return new ConfigException(name, name + " " + rule + ", was \"" + shown + '"');
  }

  private static String decimalText(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }
}
