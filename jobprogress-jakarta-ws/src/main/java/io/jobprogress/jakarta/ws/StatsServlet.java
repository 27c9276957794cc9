package io.jobprogress.jakarta.ws;

import io.jobprogress.core.ConfigSource;
import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.HubStats;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;

/**
 * {@code GET /api/ws/stats}: how many users and connections this instance holds. By default the answer
 * is counts only ({@link HubStats#countsJson()}), so it does not tell anyone who is online:
 * {@code {"totalUsers":2,"totalClients":3,"broadcaster":{"type":"redis","connected":true}}}. When the
 * host's {@link StatsGuard} accepts the request, the answer is the full body
 * ({@link HubStats#toJson()}: {@code clientsByUser} and the broadcaster's details).
 *
 * <p>The guard is the one given to the constructor; otherwise, at {@link #init()}, the
 * {@link StatsGuard} in the servlet-context attribute {@link #GUARD_ATTRIBUTE}; otherwise
 * {@link StatsGuard#bearer} of the setting {@code JP_STATS_TOKEN} (environment or context init
 * parameter, see {@link ServletDeployment#config}); otherwise {@link StatsGuard#countsOnly()}. The hub is
 * the one given, or the one a {@link ServletDeployment} stored in the servlet context. Thread-safe.
 */
public final class StatsServlet extends HubServlet {
  private static final long serialVersionUID = 1L;
  /** Servlet-context attribute where a host without code access to this servlet puts its {@link StatsGuard}. */
  public static final String GUARD_ATTRIBUTE = StatsGuard.class.getName();
  /** Setting whose value, when present, is the bearer token that unlocks the full body. */
  public static final String TOKEN_SETTING = "JP_STATS_TOKEN";

  private transient StatsGuard guard;

  /** Uses the servlet context's hub (see {@link ServletDeployment#HUB_ATTRIBUTE}) and guard. */
  public StatsServlet() {
    super(null);
  }

  /** Uses {@code hub}, counts only unless the context supplies a guard. */
  public StatsServlet(JobProgressHub hub) {
    super(Objects.requireNonNull(hub, "hub"));
  }

  /** Uses {@code hub}; requests {@code guard} accepts see the full body. */
  public StatsServlet(JobProgressHub hub, StatsGuard guard) {
    super(Objects.requireNonNull(hub, "hub"));
    this.guard = Objects.requireNonNull(guard, "guard");
  }

  @Override
  public void init() throws ServletException {
    super.init();
    if (guard != null) {
      return;
    }
    Object found = getServletContext().getAttribute(GUARD_ATTRIBUTE);
    if (found instanceof StatsGuard g) {
      guard = g;
      return;
    }
    guard = guardFrom(ConfigSource.of(ServletDeployment.config(getServletContext())));
  }

  /** {@link StatsGuard#bearer} of {@code JP_STATS_TOKEN} when set, {@link StatsGuard#countsOnly()} otherwise. */
  static StatsGuard guardFrom(ConfigSource config) {
    String token = config.secret(TOKEN_SETTING);
    return token == null ? StatsGuard.countsOnly() : StatsGuard.bearer(token);
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    HubStats stats = hub().stats();
    String body = guard.mayReadFullStats(req) ? stats.toJson() : stats.countsJson();
    resp.setContentType("application/json;charset=UTF-8");
    resp.setHeader("Cache-Control", "no-store");
    resp.getWriter().write(body);
  }
}
