package io.jobprogress.jakarta.ws;

import io.jobprogress.core.JobProgressHub;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /api/ws/stats}: who is connected to this instance, in the seed's JSON shape
 * ({@code totalUsers}, {@code totalClients}, {@code clientsByUser}) plus {@code broadcaster}, the
 * transport's health ({@link JobProgressHub#statsJson()}). Built with a hub, or with no
 * arguments to use the hub a {@link ServletDeployment} stored in the servlet context. Thread-safe.
 */
public final class StatsServlet extends HubServlet {
  private static final long serialVersionUID = 1L;

  /** Uses the servlet context's hub (see {@link ServletDeployment#HUB_ATTRIBUTE}). */
  public StatsServlet() {
    super(null);
  }

  /** Uses {@code hub}. */
  public StatsServlet(JobProgressHub hub) {
    super(java.util.Objects.requireNonNull(hub, "hub"));
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    resp.setContentType("application/json;charset=UTF-8");
    resp.setHeader("Cache-Control", "no-store");
    resp.getWriter().write(hub().statsJson());
  }
}
