package io.jobprogress.examples.demo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.jobprogress.redis.RedisServerProcess;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The demo's abuse limits as the contract names them, against the built jar: {@code DEMO_AUTH_PER_MINUTE}
 * per client address and {@code DEMO_MAX_QUEUED_JOBS_PER_USER} per user; past a limit 429 with
 * {@code Retry-After} and {@code {"error"}}, while other addresses and users carry on.
 */
class DemoAbuseLimitsIT {
  private static final InetAddress FIRST = address("127.0.0.1");
  private static final InetAddress SECOND = address("127.0.0.2");

  @Test
  void authRequestsPastThePerMinuteLimitAre429WithRetryAfterAndOtherAddressesStillWork() throws Exception {
    try (DemoProcess demo = DemoProcess.startDemo(Map.of("DEMO_AUTH_PER_MINUTE", "3"))) {
      URI base = demo.url();
      String email = "limited-" + UUID.randomUUID() + "@example.com";
      String credentials = Api.credentials(email, "password123");
      assertEquals(201, RawHttp.send(FIRST, base, "POST", "/api/auth/register", credentials, null).status());
      assertEquals(200, RawHttp.send(FIRST, base, "POST", "/api/auth/login", credentials, null).status());
      assertEquals(401, RawHttp.send(FIRST, base, "POST", "/api/auth/login",
          Api.credentials(email, "wrong-password"), null).status());

      for (String path : new String[] {"/api/auth/login", "/api/auth/register"}) {
        RawHttp.Response limited = RawHttp.send(FIRST, base, "POST", path, credentials, null);
        assertTooManyRequests(limited, 60);
      }

      RawHttp.Response other = RawHttp.send(SECOND, base, "POST", "/api/auth/login", credentials, null);
      assertEquals(200, other.status(), "another address still logs in: " + other.body());
      String token = other.json().get("accessToken").getAsString();
      assertEquals(202, RawHttp.send(FIRST, base, "POST", "/api/generate-from-prompt",
          "{\"prompt\":\"still served\"}", token).status(), "the limited address can still use the rest of the API");
    }
  }

  @Test
  void jobsPastThePerUserQuotaAre429AndTheUserCanQueueAgainOnceTheyFinish() throws Exception {
    // jobs go to a Redis list and nobody works them until the worker starts: they stay unfinished on purpose
    try (RedisServerProcess redis = RedisServerProcess.start();
        DemoProcess demo = DemoProcess.startDemo(Map.of("REDIS_URL", redis.url(), "DEMO_WORKER", "redis",
            "DEMO_MAX_QUEUED_JOBS_PER_USER", "2", "DEMO_STEP_MS", "50", "JWT_SECRET", "quota-test-secret-0123456789abcdef"))) {
      URI base = demo.url();
      Api api = new Api(base);
      String alice = api.register("alice-" + UUID.randomUUID() + "@example.com");
      String bob = api.register("bob-" + UUID.randomUUID() + "@example.com");
      String first = api.generate(alice, "one");
      String second = api.generate(alice, "two");

      RawHttp.Response refused = RawHttp.send(FIRST, base, "POST", "/api/generate-from-prompt",
          "{\"prompt\":\"three\"}", alice);
      assertTooManyRequests(refused, 3600);
      assertEquals(202, api.post("/api/generate-from-prompt", "{\"prompt\":\"bob's\"}", bob).status(),
          "another user is not affected");

      try (DemoProcess worker = DemoProcess.startWorker(Map.of("REDIS_URL", redis.url(), "DEMO_STEP_MS", "50"))) {
        await().atMost(Duration.ofSeconds(60)).until(() -> finished(api, alice, first) && finished(api, alice, second));
        String third = api.generate(alice, "three, once the others finished");
        await().atMost(Duration.ofSeconds(60)).until(() -> finished(api, alice, third));
      }
    }
  }

  private static boolean finished(Api api, String token, String jobId) throws Exception {
    Api.Response r = api.get("/api/jobs/" + jobId, token);
    return r.status() == 200 && r.json().get("status").getAsString().equals("completed");
  }

  private static void assertTooManyRequests(RawHttp.Response r, int maxRetryAfter) {
    assertEquals(429, r.status(), r.body());
    int retryAfter = Integer.parseInt(r.headers().get("retry-after"));
    assertTrue(retryAfter >= 1 && retryAfter <= maxRetryAfter, "Retry-After " + retryAfter);
    assertTrue(r.headers().get("content-type").startsWith("application/json"), r.headers().toString());
    JsonObject body = r.json();
    assertEquals(Set.of("error"), body.keySet(), r.body());
    assertTrue(body.get("error").getAsString().length() > 10, r.body());
  }

  private static InetAddress address(String ip) {
    try {
      return InetAddress.getByName(ip);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
