package io.jobprogress.examples.demo;

import com.google.gson.JsonObject;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /api/config}: what the page needs to connect ({@code wsPath}, {@code wsEnabled}). Thread-safe.
 */
final class ConfigServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private final transient DemoConfig config;

  ConfigServlet(DemoConfig config) {
    this.config = config;
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    JsonObject o = new JsonObject();
    o.addProperty("wsPath", config.wsPath());
    o.addProperty("wsEnabled", config.wsEnabled());
    Http.json(resp, 200, o);
  }
}
