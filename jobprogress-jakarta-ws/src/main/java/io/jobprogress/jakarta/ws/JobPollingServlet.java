package io.jobprogress.jakarta.ws;

import io.jobprogress.core.AuthenticatedUser;
import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.ProgressEvent;
import io.jobprogress.core.ProgressFrames;
import io.jobprogress.core.TokenRejectedException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The polling fallback, {@code GET {base}/jobs/{jobId}} (map it to e.g. {@code /api/jobs/*}): with a
 * valid {@code Authorization: Bearer} token, 200 and the job's latest progress (the progress frame's
 * JSON) when the caller owns the job; 404 for unknown jobs and other users' jobs alike; 401 without a
 * valid token. The {@code ETag} is {@code "<epoch>-<seq>"}, so {@code If-None-Match} answers 304 while
 * nothing changed. Built with a hub, or with no arguments to use the servlet context's hub. Thread-safe.
 */
public final class JobPollingServlet extends HubServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger log = LoggerFactory.getLogger(JobPollingServlet.class);

  /** Uses the servlet context's hub (see {@link ServletDeployment#HUB_ATTRIBUTE}). */
  public JobPollingServlet() {
    super(null);
  }

  /** Uses {@code hub}. */
  public JobPollingServlet(JobProgressHub hub) {
    super(java.util.Objects.requireNonNull(hub, "hub"));
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    resp.setContentType("application/json;charset=UTF-8");
    resp.setHeader("Cache-Control", "no-cache");
    String token = BearerTokens.ofAuthorization(req.getHeader("Authorization"));
    if (token == null) {
      unauthorized(resp, "Missing token");
      return;
    }
    AuthenticatedUser user;
    try {
      user = hub().authenticate(token);
    } catch (TokenRejectedException e) {
      log.debug("Polling refused: {}", e.getMessage());
      unauthorized(resp, "Invalid token");
      return;
    }
    String path = req.getPathInfo();
    String jobId = path == null ? "" : path.startsWith("/") ? path.substring(1) : path;
    Optional<ProgressEvent> latest = hub().latestFor(user.userId(), jobId);
    if (latest.isEmpty()) {
      resp.setStatus(HttpServletResponse.SC_NOT_FOUND);
      resp.getWriter().write("{\"error\":\"Job not found\"}");
      return;
    }
    ProgressEvent e = latest.get();
    String etag = "\"" + (e.epoch() == null ? "0" : e.epoch()) + "-" + e.seq() + "\"";
    resp.setHeader("ETag", etag);
    String ifNoneMatch = req.getHeader("If-None-Match");
    if (ifNoneMatch != null && (ifNoneMatch.contains(etag) || ifNoneMatch.trim().equals("*"))) {
      resp.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
      return;
    }
    resp.getWriter().write(ProgressFrames.progress(e));
  }

  private static void unauthorized(HttpServletResponse resp, String message) throws IOException {
    resp.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
    resp.setHeader("WWW-Authenticate", "Bearer");
    resp.getWriter().write("{\"error\":\"" + message + "\"}");
  }
}
