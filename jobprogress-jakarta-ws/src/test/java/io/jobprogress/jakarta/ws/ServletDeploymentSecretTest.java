package io.jobprogress.jakarta.ws;

import io.jobprogress.core.jwt.JwtTokenVerifier;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import io.jobprogress.core.ConfigSource;
import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.TestTokens;
import io.jobprogress.core.TokenRejectedException;
import io.jobprogress.core.security.TokenMint;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The WAR path ({@link ServletDeployment#hubFromConfig}) reads the same JWT settings as
 * {@code JwtTokenVerifier.fromEnvironment} and refuses a key pasted into JWT_SECRET without showing it.
 */
class ServletDeploymentSecretTest {

  @Test
  void jwtSecretHoldingAPemOrJwkIsRefusedNamingTheVariableWithoutEchoingItAndAGoodSecretDeploys() throws Exception {
    String pem = TokenMint.pem(TokenMint.RSA.getPublic());
    String jwk = "{\"kty\":\"oct\",\"k\":\"dGhpcy1pcy1hLWp3ay1ub3QtYS1zaGFyZWQtc2VjcmV0LTEyMzQ1Njc4\"}";
    for (String keyLike : new String[] {pem, jwk}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ServletDeployment.hubFromConfig(Map.of("JWT_SECRET", keyLike), getClass().getClassLoader()));
      assertTrue(e.getMessage().contains("JWT_SECRET"), e.getMessage());
      for (Throwable t = e; t != null; t = t.getCause()) {
        String m = String.valueOf(t.getMessage());
        assertFalse(m.contains("MII") || m.contains("dGhpcy1p"), "the value is shown: " + m);
      }
    }
    try (JobProgressHub hub = ServletDeployment.hubFromConfig(Map.of("JWT_SECRET", TestTokens.SECRET),
        getClass().getClassLoader())) {
      assertEquals("alice", hub.authenticate(TestTokens.token("alice")).userId());
    }
  }

  @Test
  void theWarPathTakesTheSameJwtSettingsAsTheVerifierFromEnvironment() throws Exception {
    // no key at all: one message naming the three choices
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> ServletDeployment.hubFromConfig(Map.of("JP_MAX_CONNECTIONS", "5"), getClass().getClassLoader()));
    assertTrue(none.getMessage().contains("JWT_SECRET, JWT_PUBLIC_KEY or JWT_JWKS_URL"), none.getMessage());
    // a public key (RS256) with the claim rules, as JwtTokenVerifier.fromEnvironment reads them
    Map<String, String> config = Map.of("JWT_PUBLIC_KEY", TokenMint.pem(TokenMint.RSA.getPublic()),
        "JWT_ISSUER", "https://idp.example", "JWT_MAX_LIFETIME_SECONDS", "7200");
    try (JobProgressHub hub = ServletDeployment.hubFromConfig(config, getClass().getClassLoader())) {
      String good = TokenMint.rsa(TokenMint.RSA, JWSAlgorithm.RS256, null,
          TokenMint.claims("alice", Duration.ofHours(1)).issuer("https://idp.example").build());
      assertEquals("alice", hub.authenticate(good).userId());
      String otherIssuer = TokenMint.rsa(TokenMint.RSA, JWSAlgorithm.RS256, null,
          TokenMint.claims("alice", Duration.ofHours(1)).issuer("https://evil.example").build());
      assertThrows(TokenRejectedException.class, () -> hub.authenticate(otherIssuer));
      assertThrows(TokenRejectedException.class, () -> hub.authenticate(TestTokens.token("alice")));
    }
    // the auto-deployment starts for any of the three key variables, and JP_AUTO_DEPLOY=false still stops it
    assertTrue(ServletDeployment.hasTokenKey(ConfigSource.of(Map.of("JWT_JWKS_URL", "https://idp.example/jwks"))));
    assertFalse(ServletDeployment.hasTokenKey(ConfigSource.of(Map.of("JWT_SECRET", " "))));
    assertFalse(ServletDeployment.autoDeploy(ConfigSource.of(Map.of("JP_AUTO_DEPLOY", "FALSE"))));
    assertTrue(ServletDeployment.autoDeploy(ConfigSource.of(Map.of())));
  }
}
