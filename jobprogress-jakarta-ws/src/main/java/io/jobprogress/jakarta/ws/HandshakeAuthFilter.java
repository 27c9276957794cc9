package io.jobprogress.jakarta.ws;

import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.TokenRejectedException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Optional: refuses a WebSocket upgrade without a valid token with HTTP 401 before the upgrade, where the
 * container runs servlet filters ahead of its upgrade (Tomcat and Undertow always; Jetty only when its
 * {@code WebSocketUpgradeFilter} is registered after this filter). Map it to the endpoint's path. Without
 * it the endpoint still refuses, portably, by closing with 1008 right after the upgrade; browsers cannot
 * read a 401 (they see 1006), so this is for non-browser clients and for load shedding. Requests that are
 * not upgrades pass through. Thread-safe.
 */
public final class HandshakeAuthFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;
  private static final Logger log = LoggerFactory.getLogger(HandshakeAuthFilter.class);
  private final transient JobProgressHub hub;

  /** Verifies tokens with {@code hub}. */
  public HandshakeAuthFilter(JobProgressHub hub) {
    this.hub = Objects.requireNonNull(hub, "hub");
  }

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
      throws IOException, ServletException {
    if (!"websocket".equalsIgnoreCase(req.getHeader("Upgrade"))) {
      chain.doFilter(req, resp);
      return;
    }
    String token = tokenOf(req);
    try {
      if (token == null || token.isEmpty()) {
        throw new TokenRejectedException(io.jobprogress.core.CloseReason.INVALID_TOKEN, "no token");
      }
      hub.authenticate(token);
    } catch (TokenRejectedException e) {
      log.info("Connection refused before the upgrade: {}", e.getMessage());
      resp.setHeader("WWW-Authenticate", "Bearer error=\"" + e.reason().reason() + "\"");
      resp.sendError(HttpServletResponse.SC_UNAUTHORIZED);
      return;
    }
    chain.doFilter(req, resp);
  }

  private static String tokenOf(HttpServletRequest req) {
    return BearerTokens.ofUpgrade(Collections.list(req.getHeaders("Authorization")),
        Collections.list(req.getHeaders("Sec-WebSocket-Protocol")), req.getParameter("token"));
  }
}
