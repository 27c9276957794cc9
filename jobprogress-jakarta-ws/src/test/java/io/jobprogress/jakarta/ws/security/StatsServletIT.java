package io.jobprogress.jakarta.ws.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.jobprogress.core.HubSettings;
import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.TestTokens;
import io.jobprogress.jakarta.ws.JobProgressWebSocket;
import io.jobprogress.jakarta.ws.StatsGuard;
import io.jobprogress.jakarta.ws.StatsServlet;
import io.jobprogress.jakarta.ws.testing.Container;
import io.jobprogress.jakarta.ws.testing.RecordingClient;
import jakarta.websocket.server.ServerContainer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The stats servlet does not tell strangers who is online: without a guard it answers counts and the
 * broadcaster's type and state only; with the host's {@link StatsGuard} a request the guard accepts gets the
 * full body ({@code clientsByUser}) and every other request still gets counts. Shown in the two
 * servlet containers (Jetty and Tomcat) with a real WebSocket client connected and a real HTTP client.
 */
class StatsServletIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String OPS_TOKEN = "ops-stats-token-0123456789";

  @RegisterExtension
  final NoTokenInLogs logs = new NoTokenInLogs();

  static Stream<Container> servletContainers() {
    return Container.selected().filter(c -> c == Container.JETTY || c == Container.TOMCAT);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("servletContainers")
  void withoutAGuardStatsGiveCountsOnlyAndNoUserOrNodeId(Container container) throws Exception {
    try (Deployed d = Deployed.start(container, null);
        RecordingClient alice = RecordingClient.connect(d.ws(logs.token(TestTokens.token("alice-stats"))))) {
      alice.assertFrame("connected");
      HttpResponse<String> r = get(d, null);
      assertEquals(200, r.statusCode());
      JsonObject body = JsonParser.parseString(r.body()).getAsJsonObject();
      assertEquals(Set.of("totalUsers", "totalClients", "broadcaster"), body.keySet(), r.body());
      assertEquals(1, body.get("totalUsers").getAsInt());
      assertEquals(1, body.get("totalClients").getAsInt());
      assertTrue(Set.of("type", "connected").containsAll(body.getAsJsonObject("broadcaster").keySet()), r.body());
      assertFalse(r.body().contains("alice-stats"), r.body());
      assertEquals(r.body(), get(d, OPS_TOKEN).body(), "no bearer unlocks a servlet without a guard");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("servletContainers")
  void aGuardThatAcceptsTheRequestGetsTheFullBodyAndOthersStillGetCounts(Container container) throws Exception {
    try (Deployed d = Deployed.start(container, StatsGuard.bearer(OPS_TOKEN));
        RecordingClient alice = RecordingClient.connect(d.ws(logs.token(TestTokens.token("alice-stats"))))) {
      alice.assertFrame("connected");
      JsonObject full = JsonParser.parseString(get(d, OPS_TOKEN).body()).getAsJsonObject();
      assertEquals(1, full.getAsJsonArray("clientsByUser").size(), full.toString());
      JsonObject entry = full.getAsJsonArray("clientsByUser").get(0).getAsJsonObject();
      assertEquals("alice-stats", entry.get("userId").getAsString());
      assertEquals(1, entry.get("connections").getAsInt());

      String userJwt = logs.token(TestTokens.token("alice-stats"));
      for (String refused : new String[] {null, "wrong-token", OPS_TOKEN + "x", userJwt}) {
        JsonObject counts = JsonParser.parseString(get(d, refused).body()).getAsJsonObject();
        assertFalse(counts.has("clientsByUser"), refused + " -> " + counts);
        assertEquals(1, counts.get("totalClients").getAsInt());
      }
      assertTrue(get(d, OPS_TOKEN).body().contains("clientsByUser"), "the guard still lets its bearer in");
    }
  }

  private static HttpResponse<String> get(Deployed d, String bearer) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.port + "/api/ws/stats"));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A hub, its endpoint at /ws and the stats servlet at /api/ws/stats in Jetty or Tomcat. */
  private static final class Deployed implements AutoCloseable {
    final JobProgressHub hub;
    final JobProgressWebSocket socket;
    final int port;
    final Container.Stopper stopper;

    private Deployed(JobProgressHub hub, JobProgressWebSocket socket, int port, Container.Stopper stopper) {
      this.hub = hub;
      this.socket = socket;
      this.port = port;
      this.stopper = stopper;
    }

    static Deployed start(Container container, StatsGuard guard) throws Exception {
      JobProgressHub hub = JobProgressHub.builder().tokenVerifier(TestTokens.verifier())
          .settings(HubSettings.defaults()).build();
      JobProgressWebSocket socket = JobProgressWebSocket.builder(hub).build();
      StatsServlet stats = guard == null ? new StatsServlet(hub) : new StatsServlet(hub, guard);
      if (container == Container.JETTY) {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler ctx = new ServletContextHandler("/");
        ctx.addServlet(new ServletHolder("stats", stats), "/api/ws/stats");
        server.setHandler(ctx);
        JakartaWebSocketServletContainerInitializer.configure(ctx, (sc, c) -> c.addEndpoint(socket.endpointConfig()));
        server.start();
        return new Deployed(hub, socket, connector.getLocalPort(), server::stop);
      }
      Tomcat tomcat = new Tomcat();
      tomcat.setBaseDir(Files.createTempDirectory("tomcat-stats").toString());
      tomcat.setHostname("127.0.0.1");
      tomcat.setPort(0);
      tomcat.getConnector().setProperty("address", "127.0.0.1");
      Context ctx = tomcat.addContext("", null);
      ctx.addServletContainerInitializer(new WsSci(), null);
      ctx.addServletContainerInitializer((classes, sctx) -> {
        try {
          ((ServerContainer) sctx.getAttribute(ServerContainer.class.getName())).addEndpoint(socket.endpointConfig());
        } catch (jakarta.websocket.DeploymentException e) {
          throw new jakarta.servlet.ServletException(e);
        }
      }, null);
      Tomcat.addServlet(ctx, "stats", stats);
      ctx.addServletMappingDecoded("/api/ws/stats", "stats");
      Tomcat.addServlet(ctx, "default", new DefaultServlet());
      ctx.addServletMappingDecoded("/", "default");
      tomcat.start();
      return new Deployed(hub, socket, tomcat.getConnector().getLocalPort(), () -> {
        tomcat.stop();
        tomcat.destroy();
      });
    }

    URI ws(String token) {
      return URI.create("ws://127.0.0.1:" + port + "/ws?token=" + token);
    }

    @Override
    public void close() throws Exception {
      hub.close();
      socket.close();
      stopper.stop();
    }
  }
}
