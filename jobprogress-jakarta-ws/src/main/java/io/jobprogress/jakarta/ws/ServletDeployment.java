package io.jobprogress.jakarta.ws;

import io.jobprogress.core.Broadcaster;
import io.jobprogress.core.BroadcasterFactory;
import io.jobprogress.core.ConfigSource;
import io.jobprogress.core.HubSettings;
import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.jwt.JwtTokenVerifier;
import jakarta.servlet.ServletContext;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deploys the endpoint in a servlet container in one call, and builds a hub from flat configuration
 * (environment variables overridden by servlet-context init parameters) for WARs that carry no code.
 * Needs {@code jakarta.servlet-api} at run time (an optional dependency). Static, stateless, thread-safe.
 */
public final class ServletDeployment {
  /** Servlet-context attribute holding the web application's {@link JobProgressHub}. */
  public static final String HUB_ATTRIBUTE = JobProgressHub.class.getName();
  /** Servlet-context attribute holding the deployed {@link JobProgressWebSocket}. */
  public static final String SOCKET_ATTRIBUTE = JobProgressWebSocket.class.getName();
  private static final String SERVER_CONTAINER = "jakarta.websocket.server.ServerContainer";
  private static final Logger log = LoggerFactory.getLogger(ServletDeployment.class);

  private ServletDeployment() {}

  /**
   * Deploys {@code hub}'s endpoint at {@code WS_PATH} (default {@code /ws}) in the servlet context's
   * WebSocket container, honouring {@code WS_ENABLED} and {@code WS_ALLOWED_ORIGINS}; stores the hub and
   * the endpoint as context attributes so {@link JobPollingServlet} and {@link StatsServlet} find them.
   * Call during deployment (a {@code ServletContainerInitializer} or {@code ServletContextListener}).
   *
   * @return the endpoint, or empty when {@code WS_ENABLED=false}
   * @throws IllegalStateException when the context has no WebSocket container or refuses the endpoint
   */
  public static Optional<JobProgressWebSocket> deploy(ServletContext ctx, JobProgressHub hub) {
    Map<String, String> config = config(ctx);
    JobProgressWebSocket socket = JobProgressWebSocket.builder(hub).fromConfig(config).build();
    ctx.setAttribute(HUB_ATTRIBUTE, hub);
    if (!socket.enabled()) {
      log.info("WebSocket endpoint disabled (WS_ENABLED=false)");
      socket.close();
      return Optional.empty();
    }
    Object container = ctx.getAttribute(SERVER_CONTAINER);
    if (!(container instanceof ServerContainer sc)) {
      throw new IllegalStateException("jobprogress: no " + SERVER_CONTAINER
          + " in this servlet context; is the container's WebSocket support enabled?");
    }
    try {
      socket.deploy(sc);
    } catch (DeploymentException e) {
      throw new IllegalStateException("jobprogress: could not deploy the endpoint at " + socket.path(), e);
    }
    ctx.setAttribute(SOCKET_ATTRIBUTE, socket);
    log.info("WebSocket endpoint deployed at {}{}", ctx.getContextPath(), socket.path());
    return Optional.of(socket);
  }

  /** The environment overridden by the context's init parameters. */
  public static Map<String, String> config(ServletContext ctx) {
    Map<String, String> config = new HashMap<>(System.getenv());
    for (String name : Collections.list(ctx.getInitParameterNames())) {
      config.put(name, ctx.getInitParameter(name));
    }
    return config;
  }

  /**
   * A hub from flat configuration: the same {@code JWT_*} settings as {@link JwtTokenVerifier#fromEnvironment}
   * (exactly one of {@code JWT_SECRET}, {@code JWT_PUBLIC_KEY}, {@code JWT_JWKS_URL}, plus the optional
   * claim rules), the {@code JP_*} hub limits, and the broadcaster of the first {@link BroadcasterFactory}
   * on the class path that supports the configuration (the Redis one when {@code REDIS_URL} is set),
   * in-memory otherwise. The JWT verifier needs {@code com.nimbusds:nimbus-jose-jwt} in the application (an
   * optional dependency of jobprogress-core).
   *
   * @throws IllegalArgumentException naming the setting that is missing or invalid (never showing a secret)
   * @throws IllegalStateException when {@code REDIS_URL} is set but no factory supports it, or when
   *     nimbus-jose-jwt is not on the class path
   */
  public static JobProgressHub hubFromConfig(Map<String, String> config, ClassLoader loader) {
    ConfigSource source = ConfigSource.of(config);
    JobProgressHub.Builder b = JobProgressHub.builder()
        .tokenVerifier(JwtTokenVerifier.from(source))
        .settings(HubSettings.from(source));
    broadcaster(config, loader).ifPresent(b::broadcaster);
    return b.build();
  }

  /** Whether a token key is configured ({@code JWT_SECRET}, {@code JWT_PUBLIC_KEY} or {@code JWT_JWKS_URL}). */
  static boolean hasTokenKey(ConfigSource config) {
    return config.isSet("JWT_SECRET") || config.isSet("JWT_PUBLIC_KEY") || config.isSet("JWT_JWKS_URL");
  }

  /** {@code JP_AUTO_DEPLOY}: whether the WAR initializer deploys anything. */
  static boolean autoDeploy(ConfigSource config) {
    return config.bool("JP_AUTO_DEPLOY", true);
  }

  private static Optional<Broadcaster> broadcaster(Map<String, String> config, ClassLoader loader) {
    for (BroadcasterFactory f : ServiceLoader.load(BroadcasterFactory.class, loader)) {
      if (f.supports(config)) {
        log.info("Using broadcaster from {}", f.getClass().getName());
        return Optional.of(f.create(config));
      }
    }
    if (ConfigSource.of(config).isSet("REDIS_URL")) {
      throw new IllegalStateException("jobprogress: REDIS_URL is set but no broadcaster supports it;"
          + " add io.jobprogress:jobprogress-redis to the application");
    }
    log.info("Using the in-memory broadcaster (single instance; set REDIS_URL to scale out)");
    return Optional.empty();
  }
}
