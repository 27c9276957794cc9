package io.jobprogress.examples.demo;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Guards {@code GET /api/ws/stats} with {@code STATS_TOKEN}: only {@code Authorization: Bearer <STATS_TOKEN>}
 * (compared in constant time) passes; anything else, user JWTs included, is answered 401
 * {@code {"error"}}. Installed only when the token is set. Thread-safe.
 */
final class StatsAccess extends HttpFilter {
  private static final long serialVersionUID = 1L;
  private final byte[] token;

  StatsAccess(String token) {
    this.token = token.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
      throws IOException, ServletException {
    String h = req.getHeader("Authorization");
    boolean ok = h != null && h.regionMatches(true, 0, "Bearer ", 0, 7)
        && MessageDigest.isEqual(token, h.substring(7).trim().getBytes(StandardCharsets.UTF_8));
    if (!ok) {
      resp.setHeader("WWW-Authenticate", "Bearer");
      Http.error(resp, 401, "the stats need the STATS_TOKEN bearer");
      return;
    }
    chain.doFilter(req, resp);
  }
}
