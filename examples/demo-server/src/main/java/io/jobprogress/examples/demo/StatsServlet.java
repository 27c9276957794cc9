package io.jobprogress.examples.demo;

import com.google.gson.JsonObject;
import io.jobprogress.core.JobProgressHub;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /api/ws/stats}: who is connected to this instance, in the seed's shape; and
 * {@code GET /api/config}: what the page needs to connect ({@code wsPath}, {@code wsEnabled}). Thread-safe.
 *
 * <p>TODO(lead): the stats part may become the library's {@code StatsServlet} once jakarta-ws is merged.
 */
final class StatsServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private final transient JobProgressHub hub;
  private final transient DemoConfig config;

  StatsServlet(JobProgressHub hub, DemoConfig config) {
    this.hub = hub;
    this.config = config;
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    if ("/api/config".equals(req.getServletPath())) {
      JsonObject o = new JsonObject();
      o.addProperty("wsPath", config.wsPath());
      o.addProperty("wsEnabled", config.wsEnabled());
      Http.json(resp, 200, o);
    } else {
      Http.json(resp, 200, hub.getStats().toJson());
    }
  }
}
