package io.jobprogress.core.jwt;

import io.jobprogress.core.AuthenticatedUser;
import io.jobprogress.core.CloseReason;
import io.jobprogress.core.ConfigSource;
import io.jobprogress.core.Ids;
import io.jobprogress.core.TokenRejectedException;
import io.jobprogress.core.TokenVerifier;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import io.jobprogress.core.jwt.internal.Ed25519JdkVerifier;
import io.jobprogress.core.jwt.internal.KeyLikeSecret;
import io.jobprogress.core.jwt.internal.PemPublicKeys;
import io.jobprogress.core.jwt.internal.PinnedKeySelector;
import io.jobprogress.core.jwt.internal.StrictClaimsVerifier;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Date;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies JWTs with nimbus-jose-jwt against one of three key sources: an HMAC secret
 * ({@link #hmac}: HS256/384/512), a public key ({@link #publicKey}, {@link #publicKeyPem}: RS256/384/512,
 * PS256/384/512, ES256/384/512, EdDSA with Ed25519) or a JWKS URL ({@link #jwks}: cached, refreshed once
 * for an unknown {@code kid}, refreshes rate-limited). The accepted algorithms are pinned by
 * configuration and must fit the key, so {@code alg: none} and HS/RS key confusion cannot pass.
 * {@code exp} is required and must be a number ({@code "exp": null} is refused, not read as "never");
 * {@code nbf} is honoured; {@code nbf} and {@code iat} must be numbers when present; an {@code iat} ahead
 * of the clock by more than the skew is refused; a token may live at most {@link Builder#maxTokenLifetime}
 * (default 24 h; {@code exp - iat}, or {@code exp - now} without {@code iat}); a {@code crit} header is
 * refused, even an empty one, as this verifier understands no critical extension. {@code iss} and
 * {@code aud} are checked when configured; clock skew is configurable (default 60 s); the user id comes from
 * a configurable claim (default {@code sub}); tokens longer than the configured maximum are refused unread.
 * An HMAC secret that looks like a key (PEM or JWK text) is refused at {@link Builder#build()}.
 *
 * <p>Refusals: {@link CloseReason#TOKEN_EXPIRED} for an expired token, {@link CloseReason#TRY_LATER} when
 * the JWKS URL cannot be reached (not the client's fault), {@link CloseReason#INVALID_TOKEN} for anything
 * else. Messages never contain the token.
 *
 * <p>Build once and share: immutable and thread-safe. Verification is CPU only, except with a JWKS URL,
 * where a cache miss fetches the key set (bounded by {@link Builder#jwksTimeout}).
 *
 * <p>nimbus-jose-jwt is an optional dependency of jobprogress-core: an application that uses this class
 * declares {@code com.nimbusds:nimbus-jose-jwt} itself; one that gives the hub its own {@link TokenVerifier}
 * needs none. Without it every factory here throws {@link IllegalStateException} naming the artifact.
 */
public final class JwtTokenVerifier implements TokenVerifier {
  /** Maven coordinates of the optional dependency this verifier runs on, for the missing-library error. */
  static final String NIMBUS_ARTIFACT = "com.nimbusds:nimbus-jose-jwt";
  private final Nimbus nimbus;
  private final int maxTokenLength;

  private JwtTokenVerifier(Builder s) {
    this.maxTokenLength = s.maxTokenLength;
    this.nimbus = new Nimbus(s);
  }

  /** Starts a verifier for HMAC-signed tokens (HS256 unless other HMAC algorithms are given). */
  public static Builder hmac(String secret) {
    requireNimbus();
    return new Builder(Objects.requireNonNull(secret, "secret").getBytes(StandardCharsets.UTF_8), null, null);
  }

  /**
   * Starts a verifier for tokens signed with the private half of {@code key}: RSA (default RS256), EC
   * (default ES256/384/512 by curve) or Ed25519 (default EdDSA and Ed25519).
   */
  public static Builder publicKey(PublicKey key) {
    requireNimbus();
    return new Builder(null, Objects.requireNonNull(key, "key"), null);
  }

  /**
   * Like {@link #publicKey(PublicKey)} with a PEM {@code PUBLIC KEY} or {@code CERTIFICATE} block.
   *
   * @throws IllegalArgumentException when the text is not such a block
   */
  public static Builder publicKeyPem(String pem) {
    requireNimbus();
    return publicKey(PemPublicKeys.parse(Objects.requireNonNull(pem, "pem")));
  }

  /** Starts a verifier that takes its keys from a JWKS URL (default algorithm RS256). */
  public static Builder jwks(URL url) {
    requireNimbus();
    return new Builder(null, null, Objects.requireNonNull(url, "url"));
  }

  /**
   * A verifier configured by {@code JWT_*} environment variables (table in {@code docs/security.md}):
   * exactly one of {@code JWT_SECRET}, {@code JWT_PUBLIC_KEY}, {@code JWT_JWKS_URL}, plus the optional
   * {@code JWT_ALGORITHMS}, {@code JWT_ISSUER}, {@code JWT_AUDIENCE}, {@code JWT_USER_CLAIM},
   * {@code JWT_CLOCK_SKEW_SECONDS}, {@code JWT_MAX_TOKEN_LENGTH}, {@code JWT_MAX_LIFETIME_SECONDS}.
   *
   * @throws IllegalArgumentException naming the variable at fault (never echoing a secret)
   */
  public static JwtTokenVerifier fromEnvironment(Map<String, String> env) {
    return from(ConfigSource.of(env));
  }

  /** Like {@link #fromEnvironment}, reading {@code config} (servlet init parameters, Spring, ...). */
  public static JwtTokenVerifier from(ConfigSource config) {
    requireNimbus();
    return JwtEnvironment.read(config);
  }

  // the builder's defaults, shared with the environment reader
  static final String DEFAULT_USER_CLAIM = "sub";
  static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);
  static final int DEFAULT_MAX_TOKEN_LENGTH = 8192;
  static final Duration DEFAULT_MAX_TOKEN_LIFETIME = Duration.ofHours(24);

  @Override
  public AuthenticatedUser verify(String token) throws TokenRejectedException {
    if (token == null || token.isBlank()) {
      throw new TokenRejectedException(CloseReason.INVALID_TOKEN, "token missing");
    }
    if (token.length() > maxTokenLength) {
      throw new TokenRejectedException(CloseReason.INVALID_TOKEN,
          "token longer than " + maxTokenLength + " characters");
    }
    return nimbus.verify(token);
  }

  /**
   * Fails with a clear message when nimbus-jose-jwt (an optional dependency of jobprogress-core) is not on
   * the class path, instead of a {@link NoClassDefFoundError} from deep inside the first verification.
   */
  private static void requireNimbus() {
    try {
      Class.forName("com.nimbusds.jwt.proc.DefaultJWTProcessor", false, JwtTokenVerifier.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalStateException("jobprogress-core: JwtTokenVerifier needs " + NIMBUS_ARTIFACT
          + " on the class path (an optional dependency of jobprogress-core); add it to the application,"
          + " or give the hub your own TokenVerifier");
    }
  }

  /**
   * Settings of a {@link JwtTokenVerifier}; start with {@link #hmac}, {@link #publicKey},
   * {@link #publicKeyPem} or {@link #jwks}. Not thread-safe; {@link #build()} validates.
   */
  public static final class Builder {
    private final byte[] secret;
    private final PublicKey publicKey;
    private final URL jwksUrl;
    private Set<JWSAlgorithm> algorithms;
    private String issuer;
    private String audience;
    private String userClaim = DEFAULT_USER_CLAIM;
    private Duration clockSkew = DEFAULT_CLOCK_SKEW;
    private int maxTokenLength = DEFAULT_MAX_TOKEN_LENGTH;
    private Duration maxTokenLifetime = DEFAULT_MAX_TOKEN_LIFETIME;
    private Duration jwksCacheTtl = Duration.ofMinutes(5);
    private Duration jwksRefreshMinInterval = Duration.ofSeconds(30);
    private Duration jwksTimeout = Duration.ofSeconds(2);

    private Builder(byte[] secret, PublicKey publicKey, URL jwksUrl) {
      this.secret = secret;
      this.publicKey = publicKey;
      this.jwksUrl = jwksUrl;
    }

    /**
     * Accepted {@code alg} values; every one must fit the key (HMAC for a secret; RSA, EC or Ed25519 for
     * that public key; any signature algorithm but HMAC for a JWKS). Default: HS256; for a public key
     * its family (RS256, ES256/384/512 or EdDSA+Ed25519); RS256 for a JWKS.
     */
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
     * Longest accepted token lifetime (default 24 h): a token whose {@code exp - iat} is longer, or, without
     * {@code iat}, whose {@code exp} is further than this (plus the clock skew) from now, is refused.
     */
    public Builder maxTokenLifetime(Duration max) {
      this.maxTokenLifetime = Objects.requireNonNull(max, "maxTokenLifetime");
      return this;
    }

    /** JWKS only: how long a fetched key set is used before it is fetched again (default 5 min). */
    public Builder jwksCacheTtl(Duration ttl) {
      this.jwksCacheTtl = Objects.requireNonNull(ttl, "jwksCacheTtl");
      return this;
    }

    /**
     * JWKS only: the least time between two fetches, however many unknown {@code kid}s arrive
     * (default 30 s); tokens with an unknown {@code kid} in between are refused.
     */
    public Builder jwksRefreshMinInterval(Duration interval) {
      this.jwksRefreshMinInterval = Objects.requireNonNull(interval, "jwksRefreshMinInterval");
      return this;
    }

    /** JWKS only: connect and read timeout of one fetch (default 2 s). */
    public Builder jwksTimeout(Duration timeout) {
      this.jwksTimeout = Objects.requireNonNull(timeout, "jwksTimeout");
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException naming the setting at fault (never echoing the secret): a secret
     *     shorter than 32 bytes or looking like a PEM or JWK key, an algorithm that does not fit the key, an
     *     RSA key under 2048 bits, a negative skew, a non-positive length or lifetime limit, JWKS intervals
     *     out of order
     */
    public JwtTokenVerifier build() {
      Set<JWSAlgorithm> fits;
      Set<JWSAlgorithm> byDefault;
      if (secret != null) {
        if (secret.length < 32) {
          throw new IllegalArgumentException("jwt: the HMAC secret must be at least 32 bytes, was " + secret.length);
        }
        String keyKind = KeyLikeSecret.kind(new String(secret, StandardCharsets.UTF_8));
        if (keyKind != null) {
          throw new IllegalArgumentException("jwt: the HMAC secret looks like " + keyKind + ", not a shared secret"
              + " (value not shown); configure a public key or JWKS URL instead");
        }
        fits = JWSAlgorithm.Family.HMAC_SHA;
        byDefault = Set.of(JWSAlgorithm.HS256);
      } else if (publicKey != null) {
        fits = fitting(publicKey);
        byDefault = fits.contains(JWSAlgorithm.RS256) ? Set.of(JWSAlgorithm.RS256) : fits;
        if (fits.isEmpty()) {
          throw new IllegalArgumentException("jwt: the public key must be RSA, EC or Ed25519, was "
              + publicKey.getAlgorithm());
        }
        if (publicKey instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < 2048) {
          throw new IllegalArgumentException("jwt: RSA keys must have at least 2048 bits, was "
              + rsa.getModulus().bitLength());
        }
      } else {
        fits = new HashSet<>(JWSAlgorithm.Family.SIGNATURE);
        fits.addAll(Ed25519JdkVerifier.ALGORITHMS);
        fits.remove(JWSAlgorithm.Ed448);
        byDefault = Set.of(JWSAlgorithm.RS256);
      }
      if (algorithms == null) {
        algorithms = byDefault;
      }
      if (algorithms.isEmpty() || !fits.containsAll(algorithms)) {
        throw new IllegalArgumentException("jwt: algorithms " + new TreeSet<>(names(algorithms))
            + " do not fit the key; allowed: " + new TreeSet<>(names(fits)));
      }
      if (clockSkew.isNegative()) {
        throw new IllegalArgumentException("jwt: clockSkew must not be negative, was " + clockSkew);
      }
      if (maxTokenLifetime.getSeconds() < 1) {
        throw new IllegalArgumentException("jwt: maxTokenLifetime must be at least 1 s, was " + maxTokenLifetime);
      }
      if (maxTokenLength < 1) {
        throw new IllegalArgumentException("jwt: maxTokenLength must be positive, was " + maxTokenLength);
      }
      if (jwksTimeout.isNegative() || jwksTimeout.isZero()
          || jwksRefreshMinInterval.isNegative() || jwksCacheTtl.compareTo(jwksRefreshMinInterval) <= 0) {
        throw new IllegalArgumentException("jwt: need jwksTimeout > 0 and jwksCacheTtl > jwksRefreshMinInterval >= 0, were "
            + jwksTimeout + ", " + jwksCacheTtl + ", " + jwksRefreshMinInterval);
      }
      return new JwtTokenVerifier(this);
    }

    private static Set<String> names(Set<JWSAlgorithm> algs) {
      Set<String> n = new HashSet<>();
      algs.forEach(a -> n.add(a.getName()));
      return n;
    }

    private static Set<JWSAlgorithm> fitting(PublicKey key) {
      if (key instanceof RSAPublicKey) {
        return JWSAlgorithm.Family.RSA;
      }
      if (key instanceof ECPublicKey ec) {
        int bits = ec.getParams().getOrder().bitLength();
        return Set.of(bits <= 256 ? JWSAlgorithm.ES256 : bits <= 384 ? JWSAlgorithm.ES384 : JWSAlgorithm.ES512);
      }
      if (key instanceof EdECPublicKey ed && "Ed25519".equalsIgnoreCase(ed.getParams().getName())) {
        return Ed25519JdkVerifier.ALGORITHMS;
      }
      return Set.of();
    }
  }

  /**
   * Every use of a nimbus type lives here, so that {@link JwtTokenVerifier} itself loads without nimbus and
   * {@link #requireNimbus()} can say what is missing. Immutable and thread-safe, like the verifier.
   */
  private static final class Nimbus {
    private final DefaultJWTProcessor<SecurityContext> processor;
    private final String userClaim;

    Nimbus(Builder s) {
      this.userClaim = s.userClaim;
      DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
      p.setJWSKeySelector(keySelector(s));
      p.setJWSVerifierFactory(PinnedKeySelector.verifierFactory());
      JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
      if (s.issuer != null) {
        exact.issuer(s.issuer);
      }
      Set<String> required = new HashSet<>(Set.of("exp", s.userClaim));
      p.setJWTClaimsSetVerifier(
          new StrictClaimsVerifier(s.audience, exact.build(), required, s.clockSkew, s.maxTokenLifetime));
      this.processor = p;
    }

    private static PinnedKeySelector keySelector(Builder s) {
      if (s.secret != null) {
        return PinnedKeySelector.fixed(s.algorithms, new SecretKeySpec(s.secret, "HMAC"));
      }
      if (s.publicKey != null) {
        return PinnedKeySelector.fixed(s.algorithms, s.publicKey);
      }
      int timeoutMs = (int) s.jwksTimeout.toMillis();
      JWKSource<SecurityContext> source = JWKSourceBuilder.<SecurityContext>create(s.jwksUrl,
              new DefaultResourceRetriever(timeoutMs, timeoutMs, JWKSourceBuilder.DEFAULT_HTTP_SIZE_LIMIT))
          // callers wait for a running refresh about as long as one fetch may take, not nimbus's 15 s
          .cache(s.jwksCacheTtl.toMillis(), 2L * timeoutMs + 500)
          .rateLimited(s.jwksRefreshMinInterval.toMillis())
          .build();
      return PinnedKeySelector.fromSource(s.algorithms, source);
    }

    AuthenticatedUser verify(String token) throws TokenRejectedException {
      JWTClaimsSet claims;
      try {
        JWT jwt = JWTParser.parse(token);
        if (hasCrit(jwt)) {
          throw new TokenRejectedException(CloseReason.INVALID_TOKEN,
              "crit header refused: this verifier understands no critical header parameter");
        }
        claims = processor.process(jwt, null);
      } catch (TokenRejectedException e) {
        throw e;
      } catch (ExpiredJWTException e) {
        throw new TokenRejectedException(CloseReason.TOKEN_EXPIRED, "token expired");
      } catch (BadJWTException e) {
        throw new TokenRejectedException(CloseReason.INVALID_TOKEN, "claims rejected: " + printable(e.getMessage()));
      } catch (RateLimitReachedException e) {
        throw new TokenRejectedException(CloseReason.INVALID_TOKEN, "unknown key id (JWKS refresh rate-limited)");
      } catch (KeySourceException e) {
        throw new TokenRejectedException(CloseReason.TRY_LATER, "JWKS unavailable: " + e.getClass().getSimpleName());
      } catch (BadJOSEException e) { // nimbus's fixed texts: wrong algorithm, bad signature, unsecured JWT
        throw new TokenRejectedException(CloseReason.INVALID_TOKEN, "token rejected: " + printable(e.getMessage()));
      } catch (Exception e) { // ParseException, BadJOSEException, JOSEException, anything from a hostile token
        throw new TokenRejectedException(CloseReason.INVALID_TOKEN, "token rejected: " + e.getClass().getSimpleName());
      }
      Object user = claims.getClaim(userClaim);
      if (!(user instanceof String) || !Ids.isValid((String) user)) {
        throw new TokenRejectedException(CloseReason.INVALID_TOKEN,
            "claim '" + userClaim + "' is not a valid user id");
      }
      Date exp = claims.getExpirationTime();
      return new AuthenticatedUser((String) user, exp == null ? null : exp.toInstant());
    }

    /**
     * Whether the header has a {@code crit} member at all. Nimbus drops {@code "crit": null} when it parses
     * the header, so the header's JSON is parsed once more, but only when its text could hold such a member:
     * when it contains {@code crit}, or a backslash-u escape (the only JSON escape that can spell a letter,
     * so {@code crit} can be written without the word appearing). Any other header, which is almost every
     * token, is not parsed twice (that second parse was about 1 % of a warm handshake's request-thread CPU,
     * docs/benchmarks.md).
     */
    private static boolean hasCrit(JWT jwt) throws java.text.ParseException {
      if (jwt.getHeader().getIncludedParams().contains("crit")) {
        return true;
      }
      String header = jwt.getHeader().getParsedBase64URL().decodeToString();
      return (header.contains("crit") || header.contains("\\u")) && JSONObjectUtils.parse(header).containsKey("crit");
    }

    /** Claim values inside nimbus's messages come from the token's sender: keep them short and printable. */
    private static String printable(String s) {
      String p = String.valueOf(s).replaceAll("[^\\x20-\\x7E]", "?");
      return p.length() <= 120 ? p : p.substring(0, 120) + "...";
    }
  }
}
