package io.jobprogress.jakarta.ws;

import io.jobprogress.core.jwt.JwtTokenVerifier;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jobprogress.core.HidingClassLoader;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * The WAR path builds a {@code JwtTokenVerifier} from {@code JWT_*} settings, and nimbus-jose-jwt is an
 * optional dependency: a WAR without it fails its deployment with a message naming the artifact (never the
 * secret), not with a {@link NoClassDefFoundError}. Runs in a {@link HidingClassLoader} that hides nimbus.
 */
class ServletDeploymentWithoutNimbusTest {

  @Test
  void aWarWithJwtSettingsButNoNimbusIsRefusedNamingTheArtifact() throws Exception {
    assertEquals("jobprogress-core: JwtTokenVerifier needs com.nimbusds:nimbus-jose-jwt on the class path"
        + " (an optional dependency of jobprogress-core); add it to the application, or give the hub your own"
        + " TokenVerifier", HidingClassLoader.run(JwtSettingsWithoutNimbus.class, "com.nimbusds."));
  }

  public static final class JwtSettingsWithoutNimbus implements Callable<String> {
    @Override
    public String call() {
      String secret = "war-secret-0123456789abcdef0123456789";
      try (var hub = ServletDeployment.hubFromConfig(Map.of("JWT_SECRET", secret), getClass().getClassLoader())) {
        return "deployed without nimbus";
      } catch (IllegalStateException e) {
        return e.getMessage().contains(secret) ? "the secret is shown" : e.getMessage();
      }
    }
  }
}
