package io.jobprogress.jakarta.ws;

import io.jobprogress.core.jwt.JwtTokenVerifier;
import io.jobprogress.core.ConfigException;
import io.jobprogress.core.ConfigSource;
import io.jobprogress.core.JobProgressHub;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The jobprogress WebSocket endpoint of one hub, ready to deploy in any Jakarta WebSocket 2.1+ container:
 * {@link #endpointConfig()} for {@code ServerContainer.addEndpoint}, or {@link #deploy(ServerContainer)}.
 * For servlet containers, {@code ServletDeployment.deploy(servletContext, hub)} does it in one call.
 *
 * <pre>{@code
 * JobProgressHub hub = JobProgressHub.builder().tokenVerifier(JwtTokenVerifier.hmac(secret).build()).build();
 * serverContainer.addEndpoint(JobProgressWebSocket.serverEndpointConfig(hub));
 * }</pre>
 *
 * <p><b>Lifecycle.</b> Build once per hub; building registers the endpoint with its hub
 * ({@link JobProgressHub#closeWith}), so {@code hub.close()} closes it too and the one-line
 * {@link #serverEndpointConfig(JobProgressHub)} wiring leaves no thread behind: the hub is the one owner of
 * shutdown. {@link #close()} alone closes only this endpoint (its connections get 1012 {@code restart}
 * after their queued frames, new handshakes are closed with 1012, its threads stop) and leaves the hub
 * running, for a hub that outlives one of its endpoints.
 *
 * <p><b>Threads.</b> Immutable configuration; thread-safe. The endpoint starts two small daemon pools
 * (see {@code Supervisor}): {@code jobprogress-ws-sweeper} (slow-consumer and idle sweep, only while
 * connections exist) and {@code jobprogress-ws-close} (calls {@code Session.close}, which may block);
 * both also stop by themselves after 5 s without work. Frames are sent from the thread that queues them or
 * from the container's send-completion thread; the container's threads call the endpoint.
 */
public final class JobProgressWebSocket implements AutoCloseable {
  /** The default path (docs/protocol.md). */
  public static final String DEFAULT_PATH = "/ws";

  private final JobProgressHub hub;
  private final String path;
  private final boolean enabled;
  private final Set<String> allowedOrigins;
  private final TransportSettings transport;
  private final Supervisor supervisor;
  private final ServerEndpointConfig endpointConfig;

  private JobProgressWebSocket(Builder b) {
    this.hub = b.hub;
    this.path = b.path;
    this.enabled = b.enabled;
    this.allowedOrigins = Set.copyOf(b.allowedOrigins);
    this.transport = b.transport;
    this.supervisor = new Supervisor(transport.slowConsumerTimeout(), transport.idleTimeout());
    this.endpointConfig = ServerEndpointConfig.Builder.create(JobProgressEndpoint.class, path)
        .subprotocols(List.of(HandshakeConfigurator.SUBPROTOCOL))
        .configurator(new HandshakeConfigurator(this)).build();
    hub.closeWith(this);
  }

  /**
   * The endpoint config of {@code hub} at {@link #DEFAULT_PATH}, any origin allowed; {@code hub.close()}
   * closes the endpoint behind it.
   */
  public static ServerEndpointConfig serverEndpointConfig(JobProgressHub hub) {
    return builder(hub).build().endpointConfig();
  }

  /**
   * Deploys {@code hub}'s endpoint in a servlet container in one call; see
   * {@link ServletDeployment#deploy}. Needs {@code jakarta.servlet-api} at run time.
   */
  public static java.util.Optional<JobProgressWebSocket> deploy(jakarta.servlet.ServletContext ctx,
      JobProgressHub hub) {
    return ServletDeployment.deploy(ctx, hub);
  }

  /** A builder for {@code hub}'s endpoint. */
  public static Builder builder(JobProgressHub hub) {
    return new Builder(hub);
  }

  /** The config to pass to {@code ServerContainer.addEndpoint}. */
  public ServerEndpointConfig endpointConfig() {
    return endpointConfig;
  }

  /**
   * Adds the endpoint to {@code container}, unless disabled ({@code WS_ENABLED=false}).
   *
   * @return whether it was deployed
   * @throws DeploymentException when the container refuses (e.g. the path is taken)
   */
  public boolean deploy(ServerContainer container) throws DeploymentException {
    if (!enabled) {
      return false;
    }
    container.addEndpoint(endpointConfig);
    return true;
  }

  /** The hub this endpoint serves. */
  public JobProgressHub hub() {
    return hub;
  }

  /** The path the endpoint is deployed at. */
  public String path() {
    return path;
  }

  /** Frame size, send queue and timeouts of this endpoint's connections. */
  public TransportSettings transport() {
    return transport;
  }

  /** Whether {@link #deploy} deploys anything. */
  public boolean enabled() {
    return enabled;
  }

  /** Counters of the outbound queues (replaced, dropped, slow consumers, deepest queue). */
  public TransportMetrics metrics() {
    return supervisor.metrics();
  }

  /** Frames waiting in all connections' queues right now. */
  public long queuedFrames() {
    return supervisor.queuedFrames();
  }

  Supervisor supervisor() {
    return supervisor;
  }

  boolean originAllowed(String origin) {
    // no Origin header: not a browser, which could send any Origin anyway; the token still decides
    return allowedOrigins.isEmpty() || origin == null || allowedOrigins.contains(origin);
  }

  /**
   * Closes this endpoint: new handshakes are closed with 1012 {@code restart}; every connection gets the
   * frames already queued for it, then 1012 {@code restart}; waits until each close was handed to the
   * container (or the container reported the connection gone), together at most the slow-consumer timeout
   * ({@code JP_SLOW_CONSUMER_TIMEOUT_MS}), then closes the rest at once without their frames; stops the
   * sweeper and close pool and waits (up to 2 s) for their threads to end. Runs on the caller's thread.
   * Does not close the hub; {@code hub.close()} calls this. Idempotent and safe from any thread (a second
   * caller waits for the first); do not call it from a container's WebSocket callback.
   */
  @Override
  public void close() {
    supervisor.shutdown(io.jobprogress.core.CloseReason.RESTART);
  }

  /** Settings of the endpoint. Not thread-safe. */
  public static final class Builder {
    private final JobProgressHub hub;
    private String path = DEFAULT_PATH;
    private boolean enabled = true;
    private Set<String> allowedOrigins = new LinkedHashSet<>();
    private TransportSettings transport = TransportSettings.defaults();

    private Builder(JobProgressHub hub) {
      this.hub = Objects.requireNonNull(hub, "hub");
    }

    /** The path (default {@code /ws}); must start with '/'. */
    public Builder path(String path) {
      if (path == null || !path.startsWith("/")) {
        throw new IllegalArgumentException("WS_PATH must start with '/', was " + path);
      }
      this.path = path;
      return this;
    }

    /** Whether to deploy at all (default true). */
    public Builder enabled(boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    /**
     * Origins allowed to connect, e.g. {@code https://app.example.com}; empty (default) allows any. A
     * handshake without an {@code Origin} header (not a browser) is not refused by this check.
     */
    public Builder allowedOrigins(List<String> origins) {
      this.allowedOrigins = new LinkedHashSet<>(origins);
      return this;
    }

    /** Frame size, send queue and timeouts (default {@link TransportSettings#defaults()}). */
    public Builder transport(TransportSettings transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      return this;
    }

    /**
     * Reads the endpoint's settings from {@code config} (environment variables or servlet-context init
     * parameters); see {@link #from(ConfigSource)}.
     */
    public Builder fromConfig(Map<String, String> config) {
      return from(ConfigSource.of(config));
    }

    /**
     * Reads {@code WS_PATH}, {@code WS_ENABLED}, {@code WS_ALLOWED_ORIGINS} (comma-separated) and the
     * {@link TransportSettings#from transport settings} from {@code config}; unset or blank keys keep the
     * current value (the default unless set on this builder before).
     *
     * @throws ConfigException naming the variable when a value is bad
     */
    public Builder from(ConfigSource config) {
      String p = config.string("WS_PATH", path);
      if (!p.startsWith("/")) {
        throw new ConfigException("WS_PATH", "WS_PATH must start with '/', was \"" + p + '"');
      }
      path = p;
      enabled = config.bool("WS_ENABLED", enabled);
      List<String> origins = config.list("WS_ALLOWED_ORIGINS");
      if (!origins.isEmpty()) {
        allowedOrigins(origins);
      }
      transport = TransportSettings.from(config, transport);
      return this;
    }

    /** Builds the endpoint (nothing is deployed yet). */
    public JobProgressWebSocket build() {
      return new JobProgressWebSocket(this);
    }
  }
}
