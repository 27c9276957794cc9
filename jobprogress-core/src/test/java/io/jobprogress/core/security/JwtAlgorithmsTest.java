package io.jobprogress.core.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import io.jobprogress.core.CloseReason;
import io.jobprogress.core.jwt.JwtTokenVerifier;
import io.jobprogress.core.TokenRejectedException;
import io.jobprogress.core.jwt.internal.Ed25519JdkVerifier;
import io.jobprogress.core.jwt.internal.PemPublicKeys;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.interfaces.EdECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.Test;

/** Each supported algorithm verifies its own tokens and nothing else; misconfigurations fail at build. */
class JwtAlgorithmsTest {
  private static final JWTClaimsSet ALICE = TokenMint.claims("alice", Duration.ofHours(1)).build();

  @Test
  void rs256KeyFromPemAcceptsRs256AndRefusesPs256UntilConfigured() throws Exception {
    String pem = TokenMint.pem(TokenMint.RSA.getPublic());
    String ps256 = TokenMint.rsa(TokenMint.RSA, JWSAlgorithm.PS256, null, ALICE);

    JwtTokenVerifier rsOnly = JwtTokenVerifier.publicKeyPem(pem).build();
    assertEquals("alice", rsOnly.verify(TokenMint.rsa(TokenMint.RSA, JWSAlgorithm.RS256, null, ALICE)).userId());
    assertInvalid(rsOnly, ps256);

    JwtTokenVerifier both = JwtTokenVerifier.publicKeyPem(pem).algorithms(JWSAlgorithm.RS256, JWSAlgorithm.PS256).build();
    assertEquals("alice", both.verify(ps256).userId());
  }

  @Test
  void es256KeyAcceptsEs256AndRefusesRsaAndHmacTokens() throws Exception {
    JwtTokenVerifier v = JwtTokenVerifier.publicKeyPem(TokenMint.pem(TokenMint.EC.getPublic())).build();
    assertEquals("alice", v.verify(TokenMint.es256(ALICE)).userId());
    assertInvalid(v, TokenMint.rsa(TokenMint.RSA, JWSAlgorithm.RS256, null, ALICE));
    assertInvalid(v, TokenMint.hs256(TokenMint.EC.getPublic().getEncoded(), ALICE));
  }

  @Test
  void ed25519KeyAcceptsEdDsaAndEd25519TokensOfItsKeyOnly() throws Exception {
    JwtTokenVerifier v = JwtTokenVerifier.publicKeyPem(TokenMint.pem(TokenMint.ED25519.getPublic())).build();
    assertEquals("alice", v.verify(TokenMint.ed25519(TokenMint.ED25519, JWSAlgorithm.EdDSA, null, ALICE)).userId());
    assertEquals("alice", v.verify(TokenMint.ed25519(TokenMint.ED25519, JWSAlgorithm.Ed25519, null, ALICE)).userId());
    var other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    assertInvalid(v, TokenMint.ed25519(other, JWSAlgorithm.EdDSA, null, ALICE));
    assertInvalid(v, TokenMint.hs256(TokenMint.pem(TokenMint.ED25519.getPublic()).getBytes(StandardCharsets.US_ASCII), ALICE));
  }

  @Test
  void ed25519VerifierAcceptsTheRfc8037TestVectorAndRefusesAnAlteredOne() throws Exception {
    // RFC 8037, appendix A.4: an independent implementation's signature over "Example of Ed25519 signing".
    byte[] x = Base64URL.from("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo").decode();
    Ed25519JdkVerifier v = new Ed25519JdkVerifier((EdECPublicKey) PemPublicKeys.ed25519(x));
    byte[] input = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc".getBytes(StandardCharsets.US_ASCII);
    Base64URL sig = new Base64URL(
        "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg");
    JWSHeader header = new JWSHeader(JWSAlgorithm.EdDSA);
    assertTrue(v.verify(header, input, sig));
    byte[] altered = input.clone();
    altered[altered.length - 1] ^= 1;
    assertFalse(v.verify(header, altered, sig));
  }

  @Test
  void userClaimAndClockSkewAreConfigurable() throws Exception {
    byte[] secret = AttackFixture.SECRET;
    String s = new String(secret, StandardCharsets.UTF_8);
    JWTClaimsSet uid = TokenMint.claims("alice", Duration.ofHours(1)).claim("uid", "user-42").build();
    assertEquals("user-42", JwtTokenVerifier.hmac(s).userClaim("uid").build().verify(TokenMint.hs256(secret, uid)).userId());
    assertInvalid(JwtTokenVerifier.hmac(s).userClaim("uid").build(), TokenMint.hs256(secret, ALICE));

    String expired30sAgo = TokenMint.hs256(secret, TokenMint.claims("alice", Duration.ZERO)
        .expirationTime(Date.from(Instant.now().minusSeconds(30))).build());
    assertEquals("alice", JwtTokenVerifier.hmac(s).build().verify(expired30sAgo).userId(), "default skew is 60 s");
    TokenRejectedException e = assertThrows(TokenRejectedException.class,
        () -> JwtTokenVerifier.hmac(s).clockSkew(Duration.ZERO).build().verify(expired30sAgo));
    assertEquals(CloseReason.TOKEN_EXPIRED, e.reason());
  }

  @Test
  void algorithmsThatDoNotFitTheKeyAreRefusedAtBuildAndAFittingOneBuilds() throws Exception {
    String rsaPem = TokenMint.pem(TokenMint.RSA.getPublic());
    assertThrows(IllegalArgumentException.class,
        () -> JwtTokenVerifier.publicKeyPem(rsaPem).algorithms(JWSAlgorithm.HS256).build());
    assertThrows(IllegalArgumentException.class,
        () -> JwtTokenVerifier.hmac(new String(AttackFixture.SECRET, StandardCharsets.UTF_8))
            .algorithms(JWSAlgorithm.RS256).build());
    assertThrows(IllegalArgumentException.class, () -> JwtTokenVerifier.jwks(URI.create("http://127.0.0.1:1/jwks").toURL())
        .algorithms(JWSAlgorithm.HS256).build());
    assertThrows(IllegalArgumentException.class,
        () -> JwtTokenVerifier.publicKeyPem(TokenMint.pem(TokenMint.EC.getPublic())).algorithms(JWSAlgorithm.ES384).build());
    var small = KeyPairGenerator.getInstance("RSA");
    small.initialize(1024);
    IllegalArgumentException weak = assertThrows(IllegalArgumentException.class,
        () -> JwtTokenVerifier.publicKey(small.generateKeyPair().getPublic()).build());
    assertTrue(weak.getMessage().contains("2048"), weak.getMessage());
    assertThrows(IllegalArgumentException.class, () -> JwtTokenVerifier.publicKeyPem("-----BEGIN PUBLIC KEY-----\nnope\n"));

    JwtTokenVerifier ok = JwtTokenVerifier.publicKeyPem(rsaPem).algorithms(JWSAlgorithm.PS256).build();
    assertEquals("alice", ok.verify(TokenMint.rsa(TokenMint.RSA, JWSAlgorithm.PS256, null, ALICE)).userId());
  }

  static void assertInvalid(JwtTokenVerifier v, String token) {
    TokenRejectedException e = assertThrows(TokenRejectedException.class, () -> v.verify(token));
    assertEquals(CloseReason.INVALID_TOKEN, e.reason(), e.getMessage());
  }
}
