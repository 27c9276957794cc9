package io.jobprogress.spring.boot;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The starter's own settings: where the polling and stats servlets are mapped, and whether at all. The
 * library's settings ({@code jobprogress.jwt.*}, {@code jobprogress.ws.*}, {@code jobprogress.redis.*}, the
 * hub and transport limits) are read through {@link EnvironmentConfig} by the library's own readers; they
 * are listed in this jar's configuration metadata too, so IDEs complete them all.
 *
 * <p>A mutable bean that Spring binds once at start-up; not for use across threads while being bound.
 */
@ConfigurationProperties("jobprogress")
public class JobProgressProperties {
  private final Polling polling = new Polling();
  private final Stats stats = new Stats();

  /** The polling fallback ({@code GET <path>/{jobId}}). */
  public Polling getPolling() {
    return polling;
  }

  /** The stats endpoint (counts only unless {@code jobprogress.stats-token} or a {@code StatsGuard} bean). */
  public Stats getStats() {
    return stats;
  }

  /** Settings of the polling servlet. */
  public static class Polling {
    /** Whether to map the polling servlet. */
    private boolean enabled = true;
    /** Servlet mapping of the polling servlet; the job id follows it. */
    private String path = "/api/jobs/*";

    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
    public String getPath() { return path; }
    public void setPath(String path) { this.path = path; }
  }

  /** Settings of the stats servlet. */
  public static class Stats {
    /** Whether to map the stats servlet (counts only unless a stats token or StatsGuard bean unlocks more). */
    private boolean enabled = true;
    /** Servlet mapping of the stats servlet. */
    private String path = "/api/ws/stats";

    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
    public String getPath() { return path; }
    public void setPath(String path) { this.path = path; }
  }
}
