package io.jobprogress.examples.war;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobprogress.core.TestTokens;
import io.jobprogress.jakarta.ws.testing.RecordingClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.catalina.Context;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Deploys the built {@code jobprogress-example.war} into an embedded Tomcat the way a server would (its
 * own class loader, container discovery of the library's initializer), then connects and receives
 * progress. The WAR has no code and no publishing endpoint and Redis is not part of this example, so the
 * test publishes through the WAR's own hub, which lives in the WAR's class loader: by reflection.
 */
class WarDeploymentIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String STATS_TOKEN = "war-stats-token-0123456789";
  private final java.util.List<java.util.logging.LogRecord> severe = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final java.util.logging.Handler severeRecorder = new java.util.logging.Handler() {
    @Override
    public void publish(java.util.logging.LogRecord r) {
      if (r.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()) {
        severe.add(r);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private Tomcat tomcat;
  private Context context;
  private int port;

  @BeforeEach
  void deploy() throws Exception {
    // Tomcat logs through java.util.logging: record every SEVERE line of the deployment's life
    java.util.logging.Logger.getLogger("").addHandler(severeRecorder);
    start(java.util.Map.of());
  }

  /** Starts a Tomcat with the WAR and the given context parameters besides JWT_SECRET. */
  private void start(java.util.Map<String, String> parameters) throws Exception {
    Path war = Path.of("target", "jobprogress-example.war");
    assertTrue(Files.isRegularFile(war), "build the WAR first (./mvnw package): " + war.toAbsolutePath());
    Path base = Files.createTempDirectory("tomcat-war");
    tomcat = new Tomcat();
    tomcat.setBaseDir(base.toString());
    tomcat.getHost().setAppBase(Files.createDirectories(base.resolve("webapps")).toString());
    tomcat.setHostname("127.0.0.1");
    tomcat.setPort(0);
    tomcat.getConnector().setProperty("address", "127.0.0.1");
    // what conf/web.xml gives every web application of a real Tomcat: the default servlet (no JSP here)
    tomcat.setAddDefaultWebXmlToWebapp(false);
    context = tomcat.addWebapp("", war.toAbsolutePath().toString());
    Tomcat.addServlet(context, "default", new DefaultServlet());
    context.addServletMappingDecoded("/", "default");
    // the deployment's settings, as a server's context.xml <Parameter> would give them
    context.addParameter("JWT_SECRET", TestTokens.SECRET);
    parameters.forEach(context::addParameter);
    tomcat.start();
    port = tomcat.getConnector().getLocalPort();
  }

  /** Deploys the WAR again in a new Tomcat with one more context parameter, as a context.xml would add it. */
  private void redeploy(String name, String value) throws Exception {
    tomcat.stop();
    tomcat.destroy();
    start(java.util.Map.of(name, value));
  }

  @AfterEach
  void undeploy() throws Exception {
    tomcat.stop();
    tomcat.destroy();
    java.util.logging.Logger.getLogger("").removeHandler(severeRecorder);
    assertTrue(severe.isEmpty(), () -> "Tomcat logged SEVERE: " + severe.get(0).getMessage()
        + " " + severe.get(0).getThrown());
  }

  @Test
  void theWarDeploysTheEndpointFromConfigurationAloneAndDeliversProgress() throws Exception {
    Object hub = context.getServletContext().getAttribute("io.jobprogress.core.JobProgressHub");
    assertNotNull(hub, "the initializer built a hub for the web application");
    assertNotSame(io.jobprogress.core.JobProgressHub.class, hub.getClass(), "the WAR runs its own copy");
    publish(hub, "war-job", "war-user", "queued", 0);

    try (RecordingClient client = RecordingClient.connect(
        URI.create("ws://127.0.0.1:" + port + "/ws?token=" + TestTokens.token("war-user")))) {
      client.assertFrame("connected");
      client.subscribe("war-job");
      client.assertFrame("subscribed");
      client.assertProgress("war-job", "queued");
      publish(hub, "war-job", "war-user", "processing", 50);
      assertEquals(50, client.assertProgress("war-job", "processing").get("progress").getAsInt());
      publish(hub, "war-job", "war-user", "completed", 100);
      client.assertProgress("war-job", "completed");
      client.assertPingAnswered();

      String counts = get("/api/ws/stats", null).body();
      assertTrue(counts.contains("\"totalClients\":1"), counts);
      assertFalse(counts.contains("war-user"), "without JP_STATS_TOKEN the stats name nobody: " + counts);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> get("/api/ws/stats", null).body().contains("\"totalClients\":0"));
  }

  @Test
  void withJpStatsTokenSetItsBearerSeesWhoIsConnectedAndOthersSeeCounts() throws Exception {
    redeploy("JP_STATS_TOKEN", STATS_TOKEN);
    try (RecordingClient client = RecordingClient.connect(
        URI.create("ws://127.0.0.1:" + port + "/ws?token=" + TestTokens.token("stats-user")))) {
      client.assertFrame("connected");
      String full = get("/api/ws/stats", STATS_TOKEN).body();
      assertTrue(full.contains("{\"userId\":\"stats-user\",\"connections\":1}"), full);
      for (String other : new String[] {null, "not-the-stats-token", TestTokens.token("stats-user")}) {
        String counts = get("/api/ws/stats", other).body();
        assertTrue(counts.contains("\"totalClients\":1"), counts);
        assertFalse(counts.contains("clientsByUser"), counts);
      }
    }
  }

  @Test
  void stoppingTheWebApplicationClosesItsHubAndLeavesNoThreadBehind() throws Exception {
    try (RecordingClient client = RecordingClient.connect(
        URI.create("ws://127.0.0.1:" + port + "/ws?token=" + TestTokens.token("leaving-user")))) {
      client.assertFrame("connected");
      // a pong means the server's onOpen has returned: "connected" is sent from inside it, and a web
      // application stopped while its onOpen still runs has its class loader refuse the rest (Tomcat then
      // closes with 1002 and logs SEVERE; seen once in CI, 2026-11-29)
      client.assertPingAnswered();
      context.stop();
      // Tomcat closes its sessions (1001) before the listeners run; elsewhere the hub's 1012 may come first
      int code = client.awaitClose().code();
      assertTrue(code == 1001 || code == 1012, "clients are told to reconnect, got " + code);
    }
    assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("jobprogress-")),
        "a jobprogress thread outlived its web application");
  }

  @Test
  void theBrowserClientIsServedFromTheLibraryJar() throws Exception {
    HttpResponse<String> js = get("/jobprogress/jobprogress-client.js", null);
    assertEquals(200, js.statusCode());
    assertTrue(js.body().length() > 0);
  }

  @Test
  void thePollingServletAnswersTheOwnerWithAnEtagAndOthersWith404Or401EvenWithExpNull() throws Exception {
    Object hub = context.getServletContext().getAttribute("io.jobprogress.core.JobProgressHub");
    publish(hub, "poll-job", "poll-user", "processing", 30);
    HttpResponse<String> owner = get("/api/jobs/poll-job", TestTokens.token("poll-user"));
    assertEquals(200, owner.statusCode());
    assertTrue(owner.body().contains("\"progress\":30"), owner.body());
    String etag = owner.headers().firstValue("ETag").orElseThrow();
    HttpResponse<String> again = HTTP.send(HttpRequest.newBuilder(uri("/api/jobs/poll-job"))
        .header("Authorization", "Bearer " + TestTokens.token("poll-user")).header("If-None-Match", etag).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(304, again.statusCode());
    HttpResponse<String> other = get("/api/jobs/poll-job", TestTokens.token("someone-else"));
    HttpResponse<String> unknown = get("/api/jobs/no-such-job", TestTokens.token("someone-else"));
    assertEquals(404, other.statusCode());
    assertEquals(unknown.statusCode(), other.statusCode());
    assertEquals(unknown.body(), other.body(), "no existence leak");
    assertEquals(401, get("/api/jobs/poll-job", null).statusCode());
    assertEquals(401, get("/api/jobs/poll-job", "not-a-token").statusCode());
    long now = java.time.Instant.now().getEpochSecond();
    String eternal = io.jobprogress.core.security.TokenMint.hs256Raw(
        TestTokens.SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8), "{\"alg\":\"HS256\"}",
        "{\"sub\":\"poll-user\",\"iat\":" + now + ",\"exp\":null}");
    assertEquals(401, get("/api/jobs/poll-job", eternal).statusCode(), "\"exp\": null is not an eternal token");
    assertEquals(200, get("/api/jobs/poll-job", TestTokens.token("poll-user")).statusCode(), "still serving");
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** hub.publishJobUpdate(ProgressEvent.of(...)) with the WAR's classes. */
  private static void publish(Object hub, String job, String user, String status, int progress) throws Exception {
    ClassLoader war = hub.getClass().getClassLoader();
    Class<?> eventClass = war.loadClass("io.jobprogress.core.ProgressEvent");
    Class<?> statusClass = war.loadClass("io.jobprogress.core.JobStatus");
    Object st = statusClass.getMethod("fromWire", String.class).invoke(null, status);
    Object event = eventClass.getMethod("of", String.class, String.class, statusClass, int.class, String.class,
        String.class).invoke(null, job, user, st, progress, status, "step " + progress);
    hub.getClass().getMethod("publishJobUpdate", eventClass).invoke(hub, event);
  }
}
