package io.jobprogress.examples.springboot;

import io.jobprogress.core.AuthenticatedUser;
import io.jobprogress.core.TokenRejectedException;
import io.jobprogress.core.TokenVerifier;
import io.jobprogress.publisher.JobHandle;
import io.jobprogress.publisher.JobProgressPublisher;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/demo/jobs} with {@code Authorization: Bearer <jwt>}: starts a simulated job for the
 * token's user and answers {@code {"jobId":...}} at once; the job reports 0, 25, 50, 75 % and completes,
 * one step every 200 ms, through the starter's in-process {@link JobProgressPublisher}. The token is checked
 * with the same {@link TokenVerifier} the WebSocket endpoint uses, so one JWT serves REST and WebSocket.
 * Thread-safe; the job thread stops with the application.
 */
@RestController
public class DemoJobController implements DisposableBean {
  private final TokenVerifier tokens;
  private final JobProgressPublisher publisher;
  private final ScheduledExecutorService jobs = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "demo-jobs");
    t.setDaemon(true);
    return t;
  });

  public DemoJobController(TokenVerifier tokens, JobProgressPublisher publisher) {
    this.tokens = tokens;
    this.publisher = publisher;
  }

  @PostMapping("/api/demo/jobs")
  public ResponseEntity<Map<String, String>> start(
      @RequestHeader(name = "Authorization", required = false) String authorization) {
    AuthenticatedUser user;
    try {
      user = tokens.verify(bearer(authorization));
    } catch (TokenRejectedException e) {
      return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(Map.of("error", "invalid token"));
    }
    String jobId = "job-" + UUID.randomUUID();
    JobHandle job = publisher.job(jobId, user.userId());
    job.queued();
    for (int step = 0; step <= 4; step++) {
      int progress = step * 25;
      jobs.schedule(() -> {
        if (progress == 100) {
          job.complete("done");
        } else {
          job.stage("work", progress, "step " + (progress / 25 + 1) + " of 4");
        }
      }, 200L * (step + 1), TimeUnit.MILLISECONDS);
    }
    return ResponseEntity.accepted().body(Map.of("jobId", jobId));
  }

  private static String bearer(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return "";
    }
    return authorization.substring(7).trim();
  }

  @Override
  public void destroy() {
    jobs.shutdownNow();
  }
}
