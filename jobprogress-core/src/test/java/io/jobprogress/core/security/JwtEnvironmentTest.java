package io.jobprogress.core.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import io.jobprogress.core.CloseReason;
import io.jobprogress.core.jwt.JwtTokenVerifier;
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

  @Test
  void jwtSecretThatLooksLikeAPemOrJwkIsRefusedNamingTheVariableWithoutEchoingIt() throws Exception {
    String pem = TokenMint.pem(TokenMint.RSA.getPublic());
    String jwk = "{\"kty\":\"oct\",\"k\":\"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldC0xMjM0\"}";
    String jwks = "{\"keys\":[" + jwk + "]}";
    for (String keyLike : new String[] {pem, "  " + pem, jwk, jwks}) {
      String msg = assertRefused(Map.of("JWT_SECRET", keyLike), "JWT_SECRET");
      assertNotEchoed(msg, keyLike);
      // the builder refuses it too, for hosts that wire the verifier by hand
      IllegalArgumentException direct = assertThrows(IllegalArgumentException.class,
          () -> JwtTokenVerifier.hmac(keyLike).build());
      assertNotEchoed(direct.getMessage(), keyLike);
    }
    JwtTokenVerifier ok = JwtTokenVerifier.fromEnvironment(Map.of("JWT_SECRET", SECRET));
    assertEquals("alice", ok.verify(TokenMint.hs256(AttackFixture.SECRET, AttackFixture.valid("alice").build())).userId());
  }

  @Test
  void badPublicKeyOrJwksValueIsNeverEchoedInTheMessageOrItsCauses() throws Exception {
    String secretLooking = "c2VjcmV0LXRoYXQtd2FzLXB1dC1pbi10aGUtd3JvbmctdmFyaWFibGU";
    String privatePem = "-----BEGIN PRIVATE KEY-----\n" + secretLooking + "\n-----END PRIVATE KEY-----";
    String brokenPem = "-----BEGIN PUBLIC KEY-----\n" + secretLooking + "!!\n-----END PUBLIC KEY-----";
    String jwk = "{\"kty\":\"RSA\",\"n\":\"" + secretLooking + "\",\"e\":\"AQAB\"}";
    for (String value : new String[] {secretLooking, privatePem, brokenPem, jwk, "/no/such/" + secretLooking + ".pem"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> JwtTokenVerifier.fromEnvironment(Map.of("JWT_PUBLIC_KEY", value)));
      assertTrue(e.getMessage().contains("JWT_PUBLIC_KEY"), e.getMessage());
      assertNotEchoed(e, secretLooking);
    }
    String withPassword = "https://user:" + secretLooking + "@idp test/jwks";
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JwtTokenVerifier.fromEnvironment(Map.of("JWT_JWKS_URL", withPassword)));
    assertTrue(e.getMessage().contains("JWT_JWKS_URL"), e.getMessage());
    assertNotEchoed(e, secretLooking);

    JwtTokenVerifier ok = JwtTokenVerifier.fromEnvironment(Map.of("JWT_PUBLIC_KEY", TokenMint.pem(TokenMint.RSA.getPublic())));
    assertEquals("alice", ok.verify(TokenMint.rsa(TokenMint.RSA, JWSAlgorithm.RS256, null,
        TokenMint.claims("alice", Duration.ofHours(1)).build())).userId());
  }

  @Test
  void maxLifetimeIsReadFromJwtMaxLifetimeSeconds() throws Exception {
    assertRefused(Map.of("JWT_SECRET", SECRET, "JWT_MAX_LIFETIME_SECONDS", "a day"), "JWT_MAX_LIFETIME_SECONDS");
    assertRefused(Map.of("JWT_SECRET", SECRET, "JWT_MAX_LIFETIME_SECONDS", "0"), "JWT_MAX_LIFETIME_SECONDS");
    JwtTokenVerifier v = JwtTokenVerifier.fromEnvironment(Map.of("JWT_SECRET", SECRET, "JWT_MAX_LIFETIME_SECONDS", "600"));
    TokenRejectedException e = assertThrows(TokenRejectedException.class, () -> v.verify(
        TokenMint.hs256(AttackFixture.SECRET, TokenMint.claims("alice", Duration.ofHours(1)).build())));
    assertTrue(e.getMessage().contains("lifetime"), e.getMessage());
    assertEquals("alice", v.verify(
        TokenMint.hs256(AttackFixture.SECRET, TokenMint.claims("alice", Duration.ofMinutes(5)).build())).userId());
  }

  private static void assertNotEchoed(String message, String value) {
    assertFalse(message.contains(value.strip()), "the message must not echo the value: " + message);
  }

  /** Neither the message nor any cause's message contains {@code value} (a logged stack trace shows them all). */
  private static void assertNotEchoed(Throwable e, String value) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      assertFalse(m.contains(value), "echoed by " + t.getClass().getSimpleName() + ": " + m);
    }
  }

  private static String assertRefused(Map<String, String> env, String mustName) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JwtTokenVerifier.fromEnvironment(env), () -> "accepted " + env.keySet());
    assertTrue(e.getMessage().contains(mustName), () -> "expected '" + mustName + "' in: " + e.getMessage());
    return e.getMessage();
  }
}
