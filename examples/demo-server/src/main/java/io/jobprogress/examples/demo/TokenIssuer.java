package io.jobprogress.examples.demo;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.jobprogress.core.jwt.JwtTokenVerifier;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues the demo's access tokens: HS256 JWTs with {@code sub} = user id, {@code iat} and {@code exp},
 * signed with the UTF-8 bytes of {@code JWT_SECRET}. Any instance sharing the secret accepts them.
 *
 * <p>Immutable and thread-safe; signing is CPU only. The secret is never logged.
 */
public final class TokenIssuer {
  private static final Logger log = LoggerFactory.getLogger(TokenIssuer.class);
  /** How long a demo token is valid. */
  public static final Duration TTL = Duration.ofHours(12);

  private final String secret;
  private final MACSigner signer;

  private TokenIssuer(String secret) {
    byte[] key = secret.getBytes(StandardCharsets.UTF_8);
    if (key.length < 32) {
      throw new IllegalArgumentException("JWT_SECRET must be at least 32 bytes, was " + key.length);
    }
    try {
      JwtTokenVerifier.hmac(secret).build(); // the library's own checks: e.g. refuses PEM or JWK text
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("JWT_SECRET: " + e.getMessage().replaceFirst("^jwt: ", ""), e);
    }
    this.secret = secret;
    try {
      this.signer = new MACSigner(key);
    } catch (JOSEException e) {
      throw new IllegalArgumentException("JWT_SECRET is not usable for HS256: " + e.getMessage(), e);
    }
  }

  /**
   * An issuer for {@code secret}, or for a random secret (with a WARN) when it is null.
   *
   * @throws IllegalArgumentException for a secret shorter than 32 bytes or looking like a PEM or JWK key
   *     (the message names {@code JWT_SECRET} and never shows the value)
   */
  public static TokenIssuer forSecret(String secret) {
    if (secret != null) {
      return new TokenIssuer(secret);
    }
    byte[] random = new byte[48];
    new SecureRandom().nextBytes(random);
    log.warn("JWT_SECRET is not set: using a random secret. Tokens will not survive a restart and will not "
        + "work across instances; set JWT_SECRET (at least 32 bytes) for anything but a local try-out.");
    return new TokenIssuer(Base64.getEncoder().encodeToString(random));
  }

  /** The secret in use (to build the verifier); never log it. */
  String secret() {
    return secret;
  }

  /** A signed token for {@code userId}, valid for {@link #TTL}. */
  public String issue(String userId) {
    Instant now = Instant.now();
    JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(userId).issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(TTL))).build();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("signing a token failed", e);
    }
    return jwt.serialize();
  }
}
