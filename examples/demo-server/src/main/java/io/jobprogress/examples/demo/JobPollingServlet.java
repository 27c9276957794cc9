package io.jobprogress.examples.demo;

import io.jobprogress.core.AuthenticatedUser;
import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.ProgressEvent;
import io.jobprogress.core.ProtocolCodec;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * {@code GET /api/jobs/{jobId}} + Bearer: 200 with the job's latest progress (the progress frame's JSON),
 * 404 for an unknown job and another user's job alike, 401 without a valid token. The polling fallback
 * of the browser client. Thread-safe.
 *
 * <p>TODO(lead): replace with the library's {@code JobPollingServlet} (jobprogress-jakarta-ws) once merged.
 */
final class JobPollingServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private final transient JobProgressHub hub;

  JobPollingServlet(JobProgressHub hub) {
    this.hub = hub;
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    AuthenticatedUser user = Http.bearerUser(req, hub);
    if (user == null) {
      Http.unauthorized(resp);
      return;
    }
    String path = req.getPathInfo();
    String jobId = path == null || path.length() < 2 ? "" : path.substring(1);
    Optional<ProgressEvent> latest = hub.latestFor(user.userId(), jobId);
    if (latest.isEmpty()) {
      Http.error(resp, 404, "job not found");
      return;
    }
    Http.json(resp, 200, ProtocolCodec.progress(latest.get()));
  }
}
