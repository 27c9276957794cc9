package io.jobprogress.core.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import io.jobprogress.core.CloseReason;
import io.jobprogress.core.JwtTokenVerifier;
import io.jobprogress.core.TokenRejectedException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link JwtTokenVerifier#fromEnvironment}: bad settings name their variable and never echo a secret. */
class JwtEnvironmentTest {
  private static final String SECRET = new String(AttackFixture.SECRET, StandardCharsets.UTF_8);

  @Test
  void eachBadSettingNamesItsVariableAndAGoodConfigurationWorksAfterwards() throws Exception {
    String shortSecret = "hunter2-is-too-short";
    assertRefused(Map.of(), "JWT_SECRET, JWT_PUBLIC_KEY or JWT_JWKS_URL");
    assertRefused(Map.of("JWT_SECRET", SECRET, "JWT_JWKS_URL", "https://idp.test/jwks"), "exactly one");
    String msg = assertRefused(Map.of("JWT_SECRET", shortSecret), "JWT_SECRET");
    assertFalse(msg.contains(shortSecret), "the message must not echo the secret: " + msg);
    assertRefused(Map.of("JWT_SECRET", SECRET, "JWT_ALGORITHMS", "HS256,none"), "JWT_ALGORITHMS");
    assertRefused(Map.of("JWT_SECRET", SECRET, "JWT_ALGORITHMS", "RS256"), "JWT_ALGORITHMS");
    assertRefused(Map.of("JWT_SECRET", SECRET, "JWT_CLOCK_SKEW_SECONDS", "soon"), "JWT_CLOCK_SKEW_SECONDS");
    assertRefused(Map.of("JWT_SECRET", SECRET, "JWT_CLOCK_SKEW_SECONDS", "-5"), "JWT_CLOCK_SKEW_SECONDS");
    assertRefused(Map.of("JWT_SECRET", SECRET, "JWT_MAX_TOKEN_LENGTH", "12"), "JWT_MAX_TOKEN_LENGTH");
    assertRefused(Map.of("JWT_PUBLIC_KEY", "/no/such/key.pem"), "JWT_PUBLIC_KEY");
    assertRefused(Map.of("JWT_PUBLIC_KEY", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"),
        "JWT_PUBLIC_KEY");
    assertRefused(Map.of("JWT_JWKS_URL", "file:///etc/passwd"), "JWT_JWKS_URL");

    JwtTokenVerifier v = JwtTokenVerifier.fromEnvironment(Map.of("JWT_SECRET", SECRET,
        "JWT_ISSUER", AttackFixture.ISSUER, "JWT_AUDIENCE", AttackFixture.AUDIENCE,
        "JWT_USER_CLAIM", "uid", "JWT_CLOCK_SKEW_SECONDS", "0", "JWT_ALGORITHMS", "HS256, HS512"));
    JWTClaimsSet good = AttackFixture.valid("ignored").claim("uid", "alice").build();
    assertEquals("alice", v.verify(TokenMint.hs256(AttackFixture.SECRET, good)).userId());
    TokenRejectedException wrongIss = assertThrows(TokenRejectedException.class, () -> v.verify(
        TokenMint.hs256(AttackFixture.SECRET, AttackFixture.valid("x").claim("uid", "alice").issuer("other").build())));
    assertEquals(CloseReason.INVALID_TOKEN, wrongIss.reason());
  }

  @Test
  void publicKeyIsReadFromAPemFileAndPinnedToItsFamily(@TempDir Path dir) throws Exception {
    Path pem = Files.writeString(dir.resolve("jwt.pem"), TokenMint.pem(TokenMint.RSA.getPublic()));
    JwtTokenVerifier v = JwtTokenVerifier.fromEnvironment(Map.of("JWT_PUBLIC_KEY", pem.toString(),
        "JWT_ALGORITHMS", "RS256,PS256"));
    JWTClaimsSet alice = TokenMint.claims("alice", Duration.ofHours(1)).build();
    assertEquals("alice", v.verify(TokenMint.rsa(TokenMint.RSA, JWSAlgorithm.PS256, null, alice)).userId());
    JwtAlgorithmsTest.assertInvalid(v, TokenMint.hs256(Files.readAllBytes(pem), alice));

    JwtTokenVerifier inline = JwtTokenVerifier.fromEnvironment(
        Map.of("JWT_PUBLIC_KEY", TokenMint.pem(TokenMint.ED25519.getPublic())));
    assertEquals("alice", inline.verify(TokenMint.ed25519(TokenMint.ED25519, JWSAlgorithm.EdDSA, null, alice)).userId());
  }

  @Test
  void jwksUrlWithDefaultTuningBuildsAndAnUnreachableSetMeansTryLater() {
    // Port 1 on loopback: nothing listens, the fetch fails at once.
    JwtTokenVerifier v = JwtTokenVerifier.fromEnvironment(Map.of("JWT_JWKS_URL", "http://127.0.0.1:1/jwks.json",
        "JWT_ALGORITHMS", "RS256,EdDSA"));
    TokenRejectedException e = assertThrows(TokenRejectedException.class, () -> v.verify(
        TokenMint.rsa(TokenMint.RSA, JWSAlgorithm.RS256, "k1", TokenMint.claims("alice", Duration.ofHours(1)).build())));
    assertEquals(CloseReason.TRY_LATER, e.reason(), e.getMessage());
  }

  private static String assertRefused(Map<String, String> env, String mustName) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JwtTokenVerifier.fromEnvironment(env), () -> "accepted " + env.keySet());
    assertTrue(e.getMessage().contains(mustName), () -> "expected '" + mustName + "' in: " + e.getMessage());
    return e.getMessage();
  }
}
