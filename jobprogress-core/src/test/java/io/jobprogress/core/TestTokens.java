package io.jobprogress.core;

import io.jobprogress.core.jwt.JwtTokenVerifier;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/** Mints HS256 tokens for tests. Thread-safe. */
public final class TestTokens {
  /** The secret every test hub uses unless it says otherwise. */
  public static final String SECRET = "test-secret-test-secret-test-secret-0123456789";

  private TestTokens() {}

  /** A verifier for {@link #SECRET}. */
  public static JwtTokenVerifier verifier() {
    return JwtTokenVerifier.hmac(SECRET).build();
  }

  /** A token for {@code userId} valid for one hour. */
  public static String token(String userId) {
    return token(userId, Duration.ofHours(1));
  }

  /** A token for {@code userId} valid for {@code ttl} (negative: already expired). */
  public static String token(String userId, Duration ttl) {
    return sign(SECRET, new JWTClaimsSet.Builder().subject(userId)
        .issueTime(new Date()).expirationTime(Date.from(Instant.now().plus(ttl))).build());
  }

  /** Signs arbitrary claims with HS256 and {@code secret}. */
  public static String sign(String secret, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
      jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
