package io.jobprogress.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.net.InetAddress;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code STATS_TOKEN} as the contract names it, against the built jar: set, the stats need exactly that
 * bearer (401 for everything else, user JWTs included); unset, the open endpoint and one WARN line at
 * startup.
 */
class DemoStatsIT {
  private static final String STATS_TOKEN = "ops-only-stats-token-0123456789";
  private static final String WARNING = "STATS_TOKEN is not set";

  @Test
  void withStatsTokenSetTheStatsNeedExactlyThatBearer() throws Exception {
    try (DemoProcess demo = DemoProcess.startDemo(Map.of("STATS_TOKEN", STATS_TOKEN))) {
      Api api = new Api(demo.url());
      String jwt = api.register("stats-" + UUID.randomUUID() + "@example.com");
      String userId = api.get("/api/auth/me", jwt).get("id");
      try (WsRecorder ws = WsRecorder.connect(demo.ws("/ws?token=" + jwt))) {
        ws.next("connected");
        InetAddress local = InetAddress.getLoopbackAddress();
        for (String refused : new String[] {null, jwt, "wrong", STATS_TOKEN + "x", STATS_TOKEN.substring(1)}) {
          RawHttp.Response r = RawHttp.send(local, demo.url(), "GET", "/api/ws/stats", null, refused);
          assertEquals(401, r.status(), refused + " -> " + r.body());
          assertEquals("Bearer", r.headers().get("www-authenticate"));
          assertEquals(java.util.Set.of("error"), r.json().keySet(), r.body());
        }
        Api.Response ok = api.get("/api/ws/stats", STATS_TOKEN);
        assertEquals(200, ok.status(), ok.body());
        assertEquals(1, connectionsOf(ok.json(), userId), ok.body());
      }
      assertTrue(demo.output().stream().noneMatch(l -> l.contains(WARNING)), "no warning when the token is set");
      assertTrue(demo.output().stream().noneMatch(l -> l.contains(STATS_TOKEN)), "the token is never logged");
    }
  }

  @Test
  void withoutStatsTokenTheStatsAreOpenWithTheFullBodyAndOneWarningAtStartup() throws Exception {
    try (DemoProcess demo = DemoProcess.startDemo(Map.of())) {
      Api api = new Api(demo.url());
      String jwt = api.register("open-stats-" + UUID.randomUUID() + "@example.com");
      String userId = api.get("/api/auth/me", jwt).get("id");
      try (WsRecorder ws = WsRecorder.connect(demo.ws("/ws?token=" + jwt))) {
        ws.next("connected");
        Api.Response r = api.get("/api/ws/stats", null);
        assertEquals(200, r.status(), r.body());
        assertEquals(1, connectionsOf(r.json(), userId), r.body());
      }
      assertEquals(1, demo.output().stream().filter(l -> l.contains(WARNING) && l.contains("WARN")).count(),
          String.join("\n", demo.output()));
    }
  }

  private static int connectionsOf(JsonObject stats, String userId) {
    int n = 0;
    for (JsonElement e : stats.getAsJsonArray("clientsByUser")) {
      if (e.getAsJsonObject().get("userId").getAsString().equals(userId)) {
        n += e.getAsJsonObject().get("connections").getAsInt();
      }
    }
    return n;
  }
}
