package io.jobprogress.spring.boot;

import io.jobprogress.core.ConfigSource;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Reads the library's settings from Spring's {@link Environment}: each variable the library reads (see the
 * settings table in {@code docs/operations.md}) is looked up first as a {@code jobprogress.*} property,
 * relaxed-bound like any Spring Boot property ({@code application.properties}, YAML lists, profiles,
 * {@code --jobprogress.ws.path=...}, {@code JOBPROGRESS_WS_PATH}), then under its own name
 * ({@code WS_PATH}, {@code JWT_SECRET}: an environment variable or system property), so a deployment
 * configured with the library's variable names keeps working. The names map as
 * <ul>
 *   <li>{@code WS_*}, {@code JWT_*}, {@code REDIS_*}: {@code jobprogress.ws.*}, {@code jobprogress.jwt.*},
 *       {@code jobprogress.redis.*}, the rest in kebab case ({@code WS_ALLOWED_ORIGINS}:
 *       {@code jobprogress.ws.allowed-origins});</li>
 *   <li>{@code JP_*}: {@code jobprogress.*} ({@code JP_MAX_FRAME_BYTES}: {@code jobprogress.max-frame-bytes}).</li>
 * </ul>
 * A list bound from indexed properties ({@code allowed-origins[0]}, a YAML list) reads as its
 * comma-separated form. Values are parsed and checked by the library's readers, which name the
 * {@code jobprogress} variable on a bad value.
 *
 * <p>Stateless apart from the environment; thread-safe as far as the environment is (Spring's is, once the
 * context is refreshed).
 */
public final class EnvironmentConfig {
  private static final List<String> GROUPS = List.of("WS_", "JWT_", "REDIS_");

  private EnvironmentConfig() {}

  /** A {@link ConfigSource} over {@code environment}, mapping names as described above. */
  public static ConfigSource of(Environment environment) {
    Objects.requireNonNull(environment, "environment");
    Binder binder = Binder.get(environment);
    return ConfigSource.of(name -> lookup(binder, environment, name));
  }

  /** The {@code jobprogress.*} property that stands for the library variable {@code variable}. */
  public static String propertyName(String variable) {
    for (String group : GROUPS) {
      if (variable.startsWith(group)) {
        return "jobprogress." + group.substring(0, group.length() - 1).toLowerCase(Locale.ROOT) + '.'
            + kebab(variable.substring(group.length()));
      }
    }
    return "jobprogress." + kebab(variable.startsWith("JP_") ? variable.substring(3) : variable);
  }

  private static String lookup(Binder binder, Environment environment, String variable) {
    String property = propertyName(variable);
    String value = binder.bind(property, Bindable.of(String.class)).orElse(null);
    if (value == null) {
      value = binder.bind(property, Bindable.listOf(String.class)).map(l -> String.join(",", l)).orElse(null);
    }
    return value != null ? value : environment.getProperty(variable);
  }

  private static String kebab(String upperSnake) {
    return upperSnake.toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
