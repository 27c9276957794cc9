package io.jobprogress.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobprogress.core.jwt.JwtTokenVerifier;
import org.junit.jupiter.api.Test;

/** The demo's JWT_SECRET: a key pasted into it is refused by name, never shown; a real secret issues tokens. */
class TokenIssuerTest {
  private static final String BODY = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo";

  @Test
  void jwtSecretHoldingAPemOrJwkIsRefusedNamingTheVariableWithoutEchoingIt() throws Exception {
    String pem = "-----BEGIN PUBLIC KEY-----\n" + BODY + "\n-----END PUBLIC KEY-----\n";
    String jwks = "{\"keys\":[{\"kty\":\"RSA\",\"n\":\"" + BODY + "\",\"e\":\"AQAB\"}]}";
    for (String keyLike : new String[] {pem, jwks}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TokenIssuer.forSecret(keyLike));
      assertTrue(e.getMessage().startsWith("JWT_SECRET"), e.getMessage());
      for (Throwable t = e; t != null; t = t.getCause()) {
        assertFalse(String.valueOf(t.getMessage()).contains(BODY), "the value is shown: " + t.getMessage());
      }
    }
    String secret = "a-real-shared-secret-of-enough-length-0123456789";
    String token = TokenIssuer.forSecret(secret).issue("u-alice");
    assertEquals("u-alice", JwtTokenVerifier.hmac(secret).build().verify(token).userId());
  }
}
