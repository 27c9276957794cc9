package io.jobprogress.spring.boot;

import io.jobprogress.core.Broadcaster;
import io.jobprogress.core.ConfigSource;
import io.jobprogress.core.HubSettings;
import io.jobprogress.core.InMemoryBroadcaster;
import io.jobprogress.core.JobAuthorizer;
import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.jwt.JwtTokenVerifier;
import io.jobprogress.core.TokenVerifier;
import io.jobprogress.jakarta.ws.HandshakeRateFilter;
import io.jobprogress.jakarta.ws.JobPollingServlet;
import io.jobprogress.jakarta.ws.JobProgressWebSocket;
import io.jobprogress.jakarta.ws.StatsGuard;
import io.jobprogress.jakarta.ws.StatsServlet;
import io.jobprogress.publisher.JobProgressPublisher;
import jakarta.websocket.server.ServerContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Wires jobprogress into a Spring Boot servlet application (Boot 3.5 and 4.0): a {@link JobProgressHub}
 * built from {@code jobprogress.*} properties (see {@link EnvironmentConfig}), its WebSocket endpoint in
 * the embedded container, the polling and stats servlets, the handshake rate filter, the hub's
 * {@link TokenVerifier} for the application's own controllers, an in-process {@link JobProgressPublisher},
 * and a close with {@code 1012 restart} before the web server shuts down ({@link HubShutdown}). The
 * broadcaster is Redis when {@code jobprogress.redis.url} (or {@code REDIS_URL}) is set, in-memory otherwise.
 *
 * <p>Every bean backs off when the application defines its own of the same type (the servlets and the
 * filter: of the same bean name), so an application can replace any part, e.g. its own
 * {@code TokenVerifier} or {@code StatsGuard}; a {@link JobAuthorizer} bean is used when present.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ServerContainer.class, JobProgressHub.class, JobProgressWebSocket.class})
@EnableConfigurationProperties(JobProgressProperties.class)
public class JobProgressAutoConfiguration {
  private static final Logger log = LoggerFactory.getLogger(JobProgressAutoConfiguration.class);
  private static final String REDIS_BROADCASTER = "io.jobprogress.redis.RedisBroadcaster";

  /** The library's settings, read from Spring's environment. */
  @Bean
  @ConditionalOnMissingBean
  public ConfigSource jobProgressConfigSource(Environment environment) {
    return EnvironmentConfig.of(environment);
  }

  /** Verifies bearer tokens from {@code jobprogress.jwt.*}; inject it to check the same JWTs in controllers. */
  @Bean
  @ConditionalOnMissingBean
  public TokenVerifier jobProgressTokenVerifier(ConfigSource config) {
    return JwtTokenVerifier.from(config);
  }

  /** The hub's limits from the {@code jobprogress.*} hub settings. */
  @Bean
  @ConditionalOnMissingBean
  public HubSettings jobProgressHubSettings(ConfigSource config) {
    return HubSettings.from(config);
  }

  /** Redis when {@code jobprogress.redis.url} is set, in-memory (one instance) otherwise. Closed by the hub. */
  @Bean(destroyMethod = "")
  @ConditionalOnMissingBean
  public Broadcaster jobProgressBroadcaster(ConfigSource config) {
    if (!config.isSet("REDIS_URL")) {
      log.info("jobprogress: in-memory broadcaster (one instance; set jobprogress.redis.url to scale out)");
      return new InMemoryBroadcaster();
    }
    if (!ClassUtils.isPresent(REDIS_BROADCASTER, JobProgressAutoConfiguration.class.getClassLoader())) {
      throw new IllegalStateException("jobprogress: jobprogress.redis.url is set but jobprogress-redis is not on"
          + " the class path; add io.jobprogress:jobprogress-redis");
    }
    return RedisSupport.broadcaster(config);
  }

  /** The hub; closed with 1012 by {@link HubShutdown} before the web server stops. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public JobProgressHub jobProgressHub(TokenVerifier verifier, HubSettings settings, Broadcaster broadcaster,
      ObjectProvider<JobAuthorizer> authorizer) {
    JobProgressHub.Builder b = JobProgressHub.builder().tokenVerifier(verifier).settings(settings)
        .broadcaster(broadcaster);
    authorizer.ifAvailable(b::jobAuthorizer);
    return b.build();
  }

  /** The endpoint at {@code jobprogress.ws.path} with {@code jobprogress.ws.allowed-origins} and the transport limits. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public JobProgressWebSocket jobProgressWebSocket(JobProgressHub hub, ConfigSource config) {
    return JobProgressWebSocket.builder(hub).from(config).build();
  }

  @Bean
  EndpointDeployer jobProgressEndpointDeployer(JobProgressWebSocket socket) {
    return new EndpointDeployer(socket);
  }

  @Bean
  HubShutdown jobProgressShutdown(JobProgressHub hub, ObjectProvider<JobProgressWebSocket> socket) {
    return new HubShutdown(hub, socket.getIfAvailable());
  }

  /** Publishes into this JVM's hub (through its broadcaster, so with Redis it reaches every instance). */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public JobProgressPublisher jobProgressPublisher(JobProgressHub hub) {
    return JobProgressPublisher.inProcess(hub);
  }

  /** Counts only, unless {@code jobprogress.stats-token} (or {@code JP_STATS_TOKEN}) is set. */
  @Bean
  @ConditionalOnMissingBean
  public StatsGuard jobProgressStatsGuard(ConfigSource config) {
    String token = config.secret(StatsServlet.TOKEN_SETTING);
    return token == null ? StatsGuard.countsOnly() : StatsGuard.bearer(token);
  }

  /** {@code GET /api/jobs/{jobId}} (see {@code jobprogress.polling.*}). */
  @Bean
  @ConditionalOnMissingBean(name = "jobProgressPollingServlet")
  @ConditionalOnProperty(prefix = "jobprogress.polling", name = "enabled", matchIfMissing = true)
  public ServletRegistrationBean<JobPollingServlet> jobProgressPollingServlet(JobProgressHub hub,
      JobProgressProperties properties) {
    ServletRegistrationBean<JobPollingServlet> r =
        new ServletRegistrationBean<>(new JobPollingServlet(hub), properties.getPolling().getPath());
    r.setName("jobProgressPolling");
    return r;
  }

  /** {@code GET /api/ws/stats} (see {@code jobprogress.stats.*}): counts only unless the guard says more. */
  @Bean
  @ConditionalOnMissingBean(name = "jobProgressStatsServlet")
  @ConditionalOnProperty(prefix = "jobprogress.stats", name = "enabled", matchIfMissing = true)
  public ServletRegistrationBean<StatsServlet> jobProgressStatsServlet(JobProgressHub hub, StatsGuard guard,
      JobProgressProperties properties) {
    ServletRegistrationBean<StatsServlet> r =
        new ServletRegistrationBean<>(new StatsServlet(hub, guard), properties.getStats().getPath());
    r.setName("jobProgressStats");
    return r;
  }

  /** HTTP 429 past {@code jobprogress.ws.handshakes-per-second} handshakes per remote address, on the endpoint's path. */
  @Bean
  @ConditionalOnMissingBean(name = "jobProgressHandshakeRateFilter")
  public FilterRegistrationBean<HandshakeRateFilter> jobProgressHandshakeRateFilter(JobProgressWebSocket socket,
      ConfigSource config) {
    FilterRegistrationBean<HandshakeRateFilter> r = new FilterRegistrationBean<>(HandshakeRateFilter.from(config));
    r.addUrlPatterns(socket.path());
    r.setName("jobProgressHandshakeRate");
    return r;
  }
}
