package io.jobprogress.examples.demo;

import com.google.gson.JsonObject;
import io.jobprogress.core.AuthenticatedUser;
import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.ProgressEvent;
import io.jobprogress.examples.worker.JobRequest;
import io.jobprogress.publisher.JobProgressPublisher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/generate-from-prompt} {@code {"prompt"}} + Bearer: publishes the job's {@code queued}
 * state (so its owner may subscribe at once), hands it to the {@link JobQueue} and answers
 * 202 {@code {"jobId","status":"queued"}}; 401 without a valid token, 400 without a prompt, 429 with
 * {@code Retry-After} when the user already has {@code DEMO_MAX_QUEUED_JOBS_PER_USER} unfinished jobs
 * ({@link JobQuota}). Thread-safe.
 */
final class GenerateServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger log = LoggerFactory.getLogger(GenerateServlet.class);
  static final int MAX_PROMPT = 2000;

  private final transient JobProgressHub hub;
  private final transient JobProgressPublisher publisher;
  private final transient JobQueue queue;
  private final transient JobQuota quota;

  GenerateServlet(JobProgressHub hub, JobProgressPublisher publisher, JobQueue queue, JobQuota quota) {
    this.hub = hub;
    this.publisher = publisher;
    this.queue = queue;
    this.quota = quota;
  }

  @Override
  protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    AuthenticatedUser user = Http.bearerUser(req, hub);
    if (user == null) {
      Http.unauthorized(resp);
      return;
    }
    String prompt;
    try {
      prompt = Http.requireString(Http.readObject(req), "prompt").trim();
      if (prompt.isEmpty() || prompt.length() > MAX_PROMPT) {
        throw new Http.BadRequest("\"prompt\" must be 1.." + MAX_PROMPT + " characters");
      }
    } catch (Http.BadRequest e) {
      Http.error(resp, 400, e.getMessage());
      return;
    }
    String jobId = "job-" + UUID.randomUUID();
    if (!quota.admit(user.userId(), jobId)) {
      resp.setHeader("Retry-After", Long.toString(JobQuota.RETRY_AFTER_SECONDS));
      Http.error(resp, 429, "too many unfinished jobs for this user; retry when one has finished");
      return;
    }
    try {
      publisher.publish(ProgressEvent.queued(jobId, user.userId()));
      queue.submit(new JobRequest(jobId, user.userId(), prompt));
    } catch (RuntimeException e) {
      quota.release(user.userId(), jobId);
      throw e;
    }
    log.info("Job {} queued for user {}", jobId, user.userId());
    JsonObject o = new JsonObject();
    o.addProperty("jobId", jobId);
    o.addProperty("status", "queued");
    Http.json(resp, 202, o);
  }
}
