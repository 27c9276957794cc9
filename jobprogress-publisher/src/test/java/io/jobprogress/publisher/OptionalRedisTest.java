package io.jobprogress.publisher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jobprogress.core.AuthenticatedUser;
import io.jobprogress.core.HidingClassLoader;
import io.jobprogress.core.HubSession;
import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.RecordingConnection;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * jobprogress-redis (and Jedis with it) is an optional dependency of jobprogress-publisher: the in-process
 * publisher works without them, and the Redis factories name the missing artifact. Each scenario runs in a
 * {@link HidingClassLoader} that hides the Redis classes as an in-process-only application's class path would.
 */
class OptionalRedisTest {
  private static final String[] NO_REDIS = {"io.jobprogress.redis.", "redis.clients."};
  private static final String NO_REDIS_MODULE = "jobprogress-publisher: the Redis publisher needs"
      + " io.jobprogress:jobprogress-redis on the class path (an optional dependency of jobprogress-publisher);"
      + " add it to the application, or publish in the server's own JVM with JobProgressPublisher.inProcess(hub)";

  @Test
  void theInProcessPublisherDeliversProgressWithoutRedisOnTheClassPath() throws Exception {
    assertEquals("no redis; alice got job-1 at 45, then 100", HidingClassLoader.run(InProcessOnly.class, NO_REDIS));
  }

  @Test
  void redisAndFromEnvironmentNameTheMissingModuleAndInProcessStillWorks() throws Exception {
    assertEquals(String.join("\n", NO_REDIS_MODULE, NO_REDIS_MODULE, "alice got job-1 at 45, then 100"),
        HidingClassLoader.run(RedisFactories.class, NO_REDIS));
  }

  @Test
  void anExcludedJedisIsNamedToo() throws Exception {
    String missingJedis = "jobprogress-publisher: the Redis publisher needs redis.clients:jedis on the class path"
        + " (io.jobprogress:jobprogress-redis depends on it: was it excluded?)";
    assertEquals(String.join("\n", missingJedis, missingJedis, "alice got job-1 at 45, then 100"),
        HidingClassLoader.run(RedisFactories.class, "redis.clients."));
  }

  @Test
  void withRedisOnTheClassPathTheSameLoaderBuildsTheRedisPublisher() throws Exception {
    // the control: the isolating loader alone does not break the Redis factory (it connects lazily)
    assertEquals("RedisJobProgressPublisher", HidingClassLoader.run(RedisPresent.class));
  }

  /** Queued, then a subscriber, then 45 % and completion through the in-process publisher. */
  static String inProcessRoundTrip() throws Exception {
    JobProgressHub hub = JobProgressHub.builder().tokenVerifier(token -> new AuthenticatedUser(token, null)).build();
    try (JobProgressPublisher publisher = JobProgressPublisher.inProcess(hub)) {
      JobHandle job = publisher.job("job-1", "alice");
      job.queued();
      RecordingConnection alice = new RecordingConnection("alice");
      HubSession s = hub.open(alice, hub.authenticate("alice"));
      alice.assertFrame("connected");
      s.onText("{\"type\":\"subscribe\",\"data\":{\"jobId\":\"job-1\"}}");
      alice.assertFrame("subscribed");
      alice.assertProgress("job-1", 0);
      job.stage("inference", 45, "Running model inference...");
      job.complete();
      int first = alice.assertProgress("job-1", 45).get("progress").getAsInt();
      int last = alice.assertProgress("job-1", 100).get("progress").getAsInt();
      return "alice got job-1 at " + first + ", then " + last;
    } finally {
      hub.close();
    }
  }

  private static String message(Callable<JobProgressPublisher> factory) {
    try (JobProgressPublisher p = factory.call()) {
      return "built " + p.getClass().getSimpleName();
    } catch (IllegalStateException e) {
      return e.getMessage();
    } catch (Exception | LinkageError e) {
      return "unexpected " + e;
    }
  }

  public static final class InProcessOnly implements Callable<String> {
    @Override
    public String call() throws Exception {
      try {
        Class.forName("redis.clients.jedis.Jedis");
        return "jedis is visible";
      } catch (ClassNotFoundException expected) {
        return "no redis; " + inProcessRoundTrip();
      }
    }
  }

  public static final class RedisFactories implements Callable<String> {
    @Override
    public String call() throws Exception {
      return String.join("\n",
          message(() -> JobProgressPublisher.redis("redis://127.0.0.1:6379")),
          message(JobProgressPublisher::fromEnvironment),
          inProcessRoundTrip());
    }
  }

  public static final class RedisPresent implements Callable<String> {
    @Override
    public String call() {
      try (JobProgressPublisher p = JobProgressPublisher.redis("redis://127.0.0.1:6379")) {
        return p.getClass().getSimpleName();
      }
    }
  }
}
