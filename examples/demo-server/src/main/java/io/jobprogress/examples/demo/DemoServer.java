package io.jobprogress.examples.demo;

import io.jobprogress.core.ConfigSource;
import io.jobprogress.core.HubSettings;
import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.jwt.JwtTokenVerifier;
import io.jobprogress.examples.worker.SimulatedJob;
import io.jobprogress.jakarta.ws.JobPollingServlet;
import io.jobprogress.jakarta.ws.StatsServlet;
import io.jobprogress.jakarta.ws.TransportSettings;
import io.jobprogress.publisher.JobProgressPublisher;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.DefaultServlet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.ConnectionLimit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo application: a {@link JobProgressHub} on the chosen backend, the demo's HTTP API, the WebSocket
 * endpoint and the page, on embedded Jetty 12. This is also the reference for how a host wires the library.
 *
 * <p>Lifecycle: {@link #start} builds and starts everything; {@link #close()} stops taking jobs, closes the
 * hub (every client gets close 1012 {@code restart} after its queued frames; the hub waits for that) and
 * stops Jetty.
 * Thread-safe after start.
 */
public final class DemoServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DemoServer.class);

  private final DemoConfig config;
  private final Backend backend;
  private final JobProgressHub hub;
  private final JobProgressPublisher publisher;
  private final JobQueue jobs;
  private final Server server;
  private final ServerConnector connector;

  private DemoServer(DemoConfig config, Map<String, String> env) throws Exception {
    this.config = config;
    DemoLimits limits = DemoLimits.fromEnvironment(env);
    TokenIssuer tokens = TokenIssuer.forSecret(config.jwtSecret());
    HubSettings settings = HubSettings.fromEnvironment(env);
    TransportSettings transport = TransportSettings.from(ConfigSource.of(env));
    this.backend = Backend.create(config, env);
    this.hub = JobProgressHub.builder()
        .broadcaster(backend.broadcaster())
        .tokenVerifier(JwtTokenVerifier.hmac(tokens.secret()).build())
        .settings(settings)
        .build();
    this.publisher = JobProgressPublisher.inProcess(hub);
    this.jobs = config.worker() == DemoConfig.WorkerMode.REDIS
        ? JobQueue.redisList(backend.redisClient(), config.queue())
        : JobQueue.inline(publisher, new SimulatedJob(config.stepMillis()));

    QueuedThreadPool threads = new QueuedThreadPool(limits.maxThreads(), Math.min(8, limits.maxThreads()));
    threads.setName("demo-http");
    server = new Server(threads);
    server.setStopTimeout(3000);
    connector = new ServerConnector(server);
    connector.setHost(config.host());
    connector.setPort(config.port());
    connector.setIdleTimeout(limits.idleTimeoutMillis());
    connector.setAcceptQueueSize(limits.acceptQueue());
    server.addConnector(connector);
    if (limits.maxConnections() > 0) {
      server.addBean(new ConnectionLimit(limits.maxConnections(), server));
    }
    ServletContextHandler ctx = new ServletContextHandler("/");
    if (limits.authPerMinute() > 0) {
      AuthRateLimit authLimit = new AuthRateLimit(limits.authPerMinute());
      ctx.addFilter(new FilterHolder(authLimit), "/api/auth/register", EnumSet.of(DispatcherType.REQUEST));
      ctx.addFilter(new FilterHolder(authLimit), "/api/auth/login", EnumSet.of(DispatcherType.REQUEST));
    }
    ctx.addServlet(new ServletHolder("auth", new AuthServlet(backend.users(), tokens, hub)), "/api/auth/*");
    JobQuota quota = new JobQuota(limits.maxQueuedJobsPerUser(), id -> backend.broadcaster().store().latest(id));
    ctx.addServlet(new ServletHolder("generate", new GenerateServlet(hub, publisher, jobs, quota)),
        "/api/generate-from-prompt");
    ctx.addServlet(new ServletHolder("jobs", new JobPollingServlet(hub)), "/api/jobs/*");
    if (limits.statsToken() != null) {
      ctx.addFilter(new FilterHolder(new StatsAccess(limits.statsToken())), "/api/ws/stats",
          EnumSet.of(DispatcherType.REQUEST));
    } else {
      log.warn("STATS_TOKEN is not set: GET /api/ws/stats tells anyone which user ids are connected;"
          + " set STATS_TOKEN to require it as a bearer token");
    }
    // the demo's stats keep the full body: the filter above (or the open demo) decides who reads them
    ctx.addServlet(new ServletHolder("stats", new StatsServlet(hub, request -> true)), "/api/ws/stats");
    ctx.addServlet(new ServletHolder("config", new ConfigServlet(config)), "/api/config");
    ctx.setBaseResource(ResourceFactory.of(server).newClassLoaderResource("static/"));
    ServletHolder files = new ServletHolder("default", DefaultServlet.class);
    files.setInitParameter("dirAllowed", "false");
    ctx.addServlet(files, "/");
    Handler app = config.wsEnabled()
        ? WebSocketWiring.install(config.transport(), ctx, hub, config.wsPath(), transport) : ctx;
    HeaderDeadline deadline = new HeaderDeadline(limits.headerTimeoutMillis(), connector.getScheduler(), app);
    connector.addBean(deadline);
    server.setHandler(deadline);
  }

  /**
   * Builds and starts the demo.
   *
   * @param config the settings
   * @param env the environment, for the hub's limits ({@link HubSettings#fromEnvironment}) and the
   *     WebSocket transport's ({@link TransportSettings#from})
   * @throws Exception when the port is taken, Redis is unreachable or a setting is invalid
   */
  public static DemoServer start(DemoConfig config, Map<String, String> env) throws Exception {
    DemoServer demo = new DemoServer(config, env);
    try {
      demo.server.start();
    } catch (Exception e) {
      demo.close();
      throw e;
    }
    log.info("Demo started: {} mode, jobs run {}, WebSocket {}", config.redisUrl() == null ? "in-memory" : "Redis",
        config.worker() == DemoConfig.WorkerMode.REDIS ? "by examples/worker" : "in this process",
        config.wsEnabled() ? "at " + config.wsPath() + " (" + config.transport().name().toLowerCase(
            java.util.Locale.ROOT) + " transport)" : "disabled");
    return demo;
  }

  /** The port actually listened on (useful with {@code PORT=0}). */
  public int port() {
    return connector.getLocalPort();
  }

  /** The URL to open in a browser. */
  public String url() {
    String host = config.host().equals("0.0.0.0") ? "localhost" : config.host();
    return "http://" + host + ":" + port() + "/";
  }

  /** The hub (for tests and embedding). */
  public JobProgressHub hub() {
    return hub;
  }

  /**
   * Stops taking jobs, closes the hub (which owns shutdown: every client gets its queued frames, then close
   * 1012 {@code restart}, and the hub waits until those closes went to Jetty before it stops the endpoint's
   * threads), then stops Jetty and the backend. Runs on the caller's thread (the shutdown hook).
   */
  @Override
  public void close() {
    log.info("Demo stopping");
    jobs.close();
    publisher.close();
    hub.close();
    try {
      server.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("Stopping Jetty failed: {}", e.toString());
    }
    backend.close();
  }
}
