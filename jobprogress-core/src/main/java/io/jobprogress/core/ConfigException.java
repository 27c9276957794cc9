package io.jobprogress.core;

import java.util.Objects;

/**
 * A setting read through {@link ConfigSource} (or checked by a reader on top of it) has a bad value. The
 * message names the variable and what it allows; it never contains the value of a secret. Immutable.
 */
public final class ConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String variable;

  /**
   * @param variable the setting at fault, e.g. {@code JP_MAX_FRAME_BYTES}
   * @param message the whole message; starts with, or at least names, the variable
   */
  public ConfigException(String variable, String message) {
    super(message);
    this.variable = Objects.requireNonNull(variable, "variable");
  }

  /** The setting at fault. */
  public String variable() {
    return variable;
  }
}
