package io.jobprogress.jakarta.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.TestTokens;
import io.jobprogress.core.security.TokenMint;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The WAR path ({@link ServletDeployment#hubFromConfig}) refuses a key pasted into JWT_SECRET without showing it. */
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
}
