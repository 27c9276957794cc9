package io.jobprogress.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobprogress.core.AuthenticatedUser;
import io.jobprogress.core.ConfigException;
import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.TestTokens;
import io.jobprogress.core.TokenVerifier;
import io.jobprogress.jakarta.ws.JobProgressWebSocket;
import io.jobprogress.publisher.JobProgressPublisher;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The auto-configuration's wiring without a web server (the endpoint disabled, so nothing is deployed):
 * what it builds from properties, that it backs off for the application's own beans, and that a bad
 * setting stops the start naming the variable. The examples boot it for real in embedded Tomcat.
 */
class JobProgressAutoConfigurationTest {
  private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(JobProgressAutoConfiguration.class))
      .withPropertyValues("jobprogress.ws.enabled=false", "jobprogress.jwt.secret=" + TestTokens.SECRET);

  @Test
  void buildsTheHubAndEndpointFromJobprogressProperties() {
    runner.withPropertyValues("jobprogress.ws.path=/live", "jobprogress.max-frame-bytes=1024").run(ctx -> {
      assertEquals("/live", ctx.getBean(JobProgressWebSocket.class).path());
      assertEquals(1024, ctx.getBean(JobProgressWebSocket.class).transport().maxFrameBytes());
      assertEquals("memory", ctx.getBean(JobProgressHub.class).stats().broadcaster().get("type"));
      assertEquals("alice", ctx.getBean(TokenVerifier.class).verify(TestTokens.token("alice")).userId());
    });
  }

  @Test
  void backsOffForTheApplicationsOwnBeans() {
    runner.withUserConfiguration(OwnBeans.class).run(ctx -> {
      assertSame(OwnBeans.VERIFIER, ctx.getBean(TokenVerifier.class));
      assertSame(OwnBeans.PUBLISHER, ctx.getBean(JobProgressPublisher.class));
      assertEquals("carol", ctx.getBean(JobProgressHub.class).authenticate("anything").userId());
    });
  }

  @Test
  void aBadSettingStopsTheStartNamingTheVariableAndAGoodOneStartsAfterwards() {
    runner.withPropertyValues("jobprogress.max-frame-bytes=100").run(ctx -> {
      Throwable failure = ctx.getStartupFailure();
      while (failure != null && !(failure instanceof ConfigException)) {
        failure = failure.getCause();
      }
      assertTrue(failure != null && failure.getMessage().contains("JP_MAX_FRAME_BYTES"), String.valueOf(ctx.getStartupFailure()));
    });
    runner.withPropertyValues("jobprogress.max-frame-bytes=4096").run(ctx -> assertTrue(ctx.isRunning()));
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnBeans {
    static final TokenVerifier VERIFIER = token -> new AuthenticatedUser("carol", Instant.now().plusSeconds(60));
    static final JobProgressPublisher PUBLISHER = JobProgressPublisher.inProcess(
        JobProgressHub.builder().tokenVerifier(VERIFIER).build());

    @Bean
    TokenVerifier ownVerifier() {
      return VERIFIER;
    }

    @Bean
    JobProgressPublisher ownPublisher() {
      return PUBLISHER;
    }
  }
}
