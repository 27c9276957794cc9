package io.jobprogress.publisher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jobprogress.core.HubSession;
import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.JobStatus;
import io.jobprogress.core.ProgressEvent;
import io.jobprogress.core.RecordingConnection;
import io.jobprogress.core.TestTokens;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The in-process publisher feeds the in-memory hub directly: the embedded default needs no Redis. */
class InProcessPublisherTest {
  private final JobProgressHub hub = JobProgressHub.builder().tokenVerifier(TestTokens.verifier()).build();
  private final JobProgressPublisher publisher = JobProgressPublisher.inProcess(hub);

  @AfterEach
  void stop() {
    publisher.close();
    hub.close();
  }

  @Test
  void workerUpdatesReachASubscribedClientWithoutRedis() throws Exception {
    JobHandle h = publisher.job("job-1", "alice");
    h.queued();
    RecordingConnection alice = new RecordingConnection("alice");
    HubSession s = hub.open(alice, hub.authenticate(TestTokens.token("alice")));
    alice.assertFrame("connected");
    s.onText("{\"type\":\"subscribe\",\"data\":{\"jobId\":\"job-1\"}}");
    alice.assertFrame("subscribed");
    alice.assertProgress("job-1", 0);
    publisher.publishJobProgress("job-1", "alice", "processing", 45, "inference", "Running model inference...");
    assertEquals(3, publisher.publishAsync(ProgressEvent.of("job-1", "alice", JobStatus.PROCESSING, 50,
        "inference", "")).get(5, TimeUnit.SECONDS).seq());
    h.complete();
    alice.assertProgress("job-1", 45);
    alice.assertProgress("job-1", 50);
    assertEquals("completed", alice.assertProgress("job-1", 100).get("status").getAsString());
    alice.assertNoMoreFrames();
  }

  @Test
  void closedPublisherRefusesToPublish() {
    publisher.close();
    assertThrows(IllegalStateException.class, () -> publisher.job("job-2", "alice").queued());
    ExecutionException e = assertThrows(ExecutionException.class, () -> publisher.publishAsync(
        ProgressEvent.queued("job-2", "alice")).get(5, TimeUnit.SECONDS));
    assertInstanceOf(IllegalStateException.class, e.getCause());
  }
}
