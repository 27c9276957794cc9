package io.jobprogress.core;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Verifies JWTs with nimbus-jose-jwt: signature with a pinned algorithm set (so {@code alg: none} and
 * HS/RS key confusion are impossible), {@code exp} required, {@code nbf} honoured, {@code iss} and
 * {@code aud} checked when configured, clock skew (default 60 s), the user id read from a configurable
 * claim (default {@code sub}). Tokens longer than {@link Builder#maxTokenLength} are refused unread.
 *
 * <p>Build once and share: immutable and thread-safe; verification is CPU only (no I/O).
 */
public final class JwtTokenVerifier implements TokenVerifier {

  private final DefaultJWTProcessor<SecurityContext> processor;
  private final String userClaim;
  private final int maxTokenLength;

  private JwtTokenVerifier(Builder b) {
    this.userClaim = b.userClaim;
    this.maxTokenLength = b.maxTokenLength;
    DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
    p.setJWSKeySelector(new JWSVerificationKeySelector<>(b.algorithms, new ImmutableSecret<>(b.secret)));
    JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
    if (b.issuer != null) {
      exact.issuer(b.issuer);
    }
    Set<String> required = new HashSet<>(Set.of("exp", b.userClaim));
    DefaultJWTClaimsVerifier<SecurityContext> claims =
        new DefaultJWTClaimsVerifier<>(b.audience, exact.build(), required);
    claims.setMaxClockSkew((int) b.clockSkew.toSeconds());
    p.setJWTClaimsSetVerifier(claims);
    this.processor = p;
  }

  /** Starts a verifier for HMAC-signed tokens (HS256 unless other HMAC algorithms are given). */
  public static Builder hmac(String secret) {
    return new Builder(Objects.requireNonNull(secret, "secret").getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public AuthenticatedUser verify(String token) throws TokenRejectedException {
    if (token == null || token.isBlank()) {
      throw new TokenRejectedException(CloseReason.INVALID_TOKEN, "token missing");
    }
    if (token.length() > maxTokenLength) {
      throw new TokenRejectedException(CloseReason.INVALID_TOKEN,
          "token longer than " + maxTokenLength + " characters");
    }
    JWTClaimsSet claims;
    try {
      claims = processor.process(token, null);
    } catch (ExpiredJWTException e) {
      throw new TokenRejectedException(CloseReason.TOKEN_EXPIRED, "token expired");
    } catch (BadJWTException e) {
      throw new TokenRejectedException(CloseReason.INVALID_TOKEN, "claims rejected: " + e.getMessage());
    } catch (Exception e) { // ParseException, BadJOSEException, JOSEException, anything from a hostile token
      throw new TokenRejectedException(CloseReason.INVALID_TOKEN,
          "token rejected: " + e.getClass().getSimpleName());
    }
    Object user = claims.getClaim(userClaim);
    if (!(user instanceof String) || !Ids.isValid((String) user)) {
      throw new TokenRejectedException(CloseReason.INVALID_TOKEN,
          "claim '" + userClaim + "' is not a valid user id");
    }
    Date exp = claims.getExpirationTime();
    return new AuthenticatedUser((String) user, exp == null ? null : exp.toInstant());
  }

  /** Settings of a {@link JwtTokenVerifier}. Not thread-safe; {@link #build()} validates. */
  public static final class Builder {
    private final byte[] secret;
    private Set<JWSAlgorithm> algorithms = Set.of(JWSAlgorithm.HS256);
    private String issuer;
    private String audience;
    private String userClaim = "sub";
    private Duration clockSkew = Duration.ofSeconds(60);
    private int maxTokenLength = 8192;

    private Builder(byte[] secret) {
      this.secret = secret;
    }

    /** Accepted algorithms, each of HS256/HS384/HS512 (default HS256 only). */
    public Builder algorithms(JWSAlgorithm... algs) {
      this.algorithms = Set.of(algs);
      return this;
    }

    /** Required {@code iss}; null (default) for no check. */
    public Builder issuer(String issuer) {
      this.issuer = issuer;
      return this;
    }

    /** Required {@code aud} member; null (default) for no check. */
    public Builder audience(String audience) {
      this.audience = audience;
      return this;
    }

    /** The claim holding the user id (default {@code sub}). */
    public Builder userClaim(String claim) {
      this.userClaim = Objects.requireNonNull(claim, "userClaim");
      return this;
    }

    /** Allowed clock difference for {@code exp} and {@code nbf} (default 60 s). */
    public Builder clockSkew(Duration skew) {
      this.clockSkew = Objects.requireNonNull(skew, "clockSkew");
      return this;
    }

    /** Longest token read at all (default 8192 characters). */
    public Builder maxTokenLength(int max) {
      this.maxTokenLength = max;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException for a secret shorter than 32 bytes, a non-HMAC algorithm, a
     *     negative skew or a non-positive length limit
     */
    public JwtTokenVerifier build() {
      if (secret.length < 32) {
        throw new IllegalArgumentException(
            "jwt: the HMAC secret must be at least 32 bytes, was " + secret.length);
      }
      if (algorithms.isEmpty() || !JWSAlgorithm.Family.HMAC_SHA.containsAll(algorithms)) {
        throw new IllegalArgumentException("jwt: algorithms must be HS256, HS384 or HS512, were " + algorithms);
      }
      if (clockSkew.isNegative()) {
        throw new IllegalArgumentException("jwt: clockSkew must not be negative, was " + clockSkew);
      }
      if (maxTokenLength < 1) {
        throw new IllegalArgumentException("jwt: maxTokenLength must be positive, was " + maxTokenLength);
      }
      return new JwtTokenVerifier(this);
    }
  }
}
