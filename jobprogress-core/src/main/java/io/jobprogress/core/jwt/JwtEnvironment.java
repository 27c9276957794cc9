package io.jobprogress.core.jwt;

import io.jobprogress.core.ConfigException;
import io.jobprogress.core.ConfigSource;

import com.nimbusds.jose.JWSAlgorithm;
import io.jobprogress.core.jwt.internal.KeyLikeSecret;
import io.jobprogress.core.jwt.internal.PemPublicKeys;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@link JwtTokenVerifier#fromEnvironment}'s {@code JWT_*} variables through a {@link ConfigSource}
 * (the key variables as secrets). Every error is a {@link ConfigException} that names its
 * variable and never repeats the value of a variable that may hold a secret ({@code JWT_SECRET},
 * {@code JWT_PUBLIC_KEY}, {@code JWT_JWKS_URL}, which may carry credentials), not even in a cause, since
 * a host logging the startup failure prints the causes too. Stateless.
 */
final class JwtEnvironment {
  /** Ten years: the largest {@code JWT_MAX_LIFETIME_SECONDS} (a typo, not a policy, beyond that). */
  private static final long MAX_LIFETIME_LIMIT = 10L * 366 * 24 * 3600;

  private JwtEnvironment() {}

  static JwtTokenVerifier read(ConfigSource config) {
    String secret = config.secret("JWT_SECRET");
    String publicKey = config.secret("JWT_PUBLIC_KEY");
    String jwksUrl = config.secret("JWT_JWKS_URL");
    String algs = config.string("JWT_ALGORITHMS");
    String issuer = config.string("JWT_ISSUER");
    String audience = config.string("JWT_AUDIENCE");
    String claim = config.string("JWT_USER_CLAIM", JwtTokenVerifier.DEFAULT_USER_CLAIM);
    Duration skew = config.seconds("JWT_CLOCK_SKEW_SECONDS", JwtTokenVerifier.DEFAULT_CLOCK_SKEW, Duration.ZERO,
        Duration.ofHours(1));
    int maxLength = config.integer("JWT_MAX_TOKEN_LENGTH", JwtTokenVerifier.DEFAULT_MAX_TOKEN_LENGTH, 256, 1 << 20);
    Duration lifetime = config.seconds("JWT_MAX_LIFETIME_SECONDS", JwtTokenVerifier.DEFAULT_MAX_TOKEN_LIFETIME,
        Duration.ofSeconds(1), Duration.ofSeconds(MAX_LIFETIME_LIMIT));
    int given = (secret != null ? 1 : 0) + (publicKey != null ? 1 : 0) + (jwksUrl != null ? 1 : 0);
    if (given != 1) {
      throw new ConfigException("JWT_SECRET", "jwt: set exactly one of JWT_SECRET, JWT_PUBLIC_KEY or JWT_JWKS_URL"
          + (given == 0 ? " (none is set)" : " (" + given + " are set)"));
    }
    JwtTokenVerifier.Builder b;
    if (secret != null) {
      int bytes = secret.getBytes(StandardCharsets.UTF_8).length;
      if (bytes < 32) {
        throw new ConfigException("JWT_SECRET", "jwt: JWT_SECRET must be at least 32 bytes, was " + bytes);
      }
      String keyKind = KeyLikeSecret.kind(secret);
      if (keyKind != null) {
        throw new ConfigException("JWT_SECRET", "jwt: JWT_SECRET looks like " + keyKind + ", not a shared secret"
            + " (value not shown): put a public key in JWT_PUBLIC_KEY, a key set's URL in JWT_JWKS_URL");
      }
      b = JwtTokenVerifier.hmac(secret);
    } else if (publicKey != null) {
      b = JwtTokenVerifier.publicKey(PemPublicKeys.parse(pem(publicKey)));
    } else {
      b = JwtTokenVerifier.jwks(url(jwksUrl));
    }
    if (algs != null) {
      b.algorithms(algorithms(algs));
    }
    b.issuer(issuer).audience(audience).userClaim(claim).clockSkew(skew).maxTokenLength(maxLength)
        .maxTokenLifetime(lifetime);
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      String var = e.getMessage().contains("algorithms") ? "JWT_ALGORITHMS" : "JWT_PUBLIC_KEY";
      throw new ConfigException(var, "jwt: " + var + ": " + e.getMessage().replaceFirst("^jwt: ", ""));
    }
  }

  /**
   * PEM text as is, anything else read as a file path. The value is never shown (it may be a private key
   * or a secret pasted into the wrong variable) and no cause is kept (a JDK exception would show it).
   */
  private static String pem(String value) {
    String text = value;
    if (!value.startsWith("-----BEGIN")) {
      if (KeyLikeSecret.kind(value) != null) {
        throw new ConfigException("JWT_PUBLIC_KEY", "jwt: JWT_PUBLIC_KEY looks like " + KeyLikeSecret.kind(value)
            + " (value not shown); it takes a PEM public key or certificate, or the path of a file holding one"
            + " (a JWKS goes in JWT_JWKS_URL)");
      }
      try {
        text = Files.readString(Path.of(value), StandardCharsets.US_ASCII);
      } catch (IOException | RuntimeException e) {
        throw new ConfigException("JWT_PUBLIC_KEY", "jwt: JWT_PUBLIC_KEY is neither PEM text nor a readable file"
            + " (value not shown, " + value.length() + " characters; " + e.getClass().getSimpleName() + ")");
      }
    }
    try {
      PemPublicKeys.parse(text);
      return text;
    } catch (IllegalArgumentException e) {
      throw new ConfigException("JWT_PUBLIC_KEY", "jwt: JWT_PUBLIC_KEY: " + e.getMessage() + " (value not shown)");
    }
  }

  private static URL url(String value) {
    try {
      URI uri = new URI(value);
      if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new ConfigException("JWT_JWKS_URL", "jwt: JWT_JWKS_URL must be an absolute http(s) URL");
      }
      return uri.toURL();
    } catch (URISyntaxException | MalformedURLException e) {
      // no cause: its message repeats the URL, which may carry credentials
      throw new ConfigException("JWT_JWKS_URL", "jwt: JWT_JWKS_URL is not a valid URL (value not shown; "
          + e.getClass().getSimpleName() + ")");
    }
  }

  private static JWSAlgorithm[] algorithms(String list) {
    List<JWSAlgorithm> out = new ArrayList<>();
    for (String name : list.split(",")) {
      String n = name.strip();
      JWSAlgorithm a = JWSAlgorithm.parse(n);
      if (n.isEmpty() || a.getRequirement() == null) { // parse() invents algorithms for unknown names
        throw new ConfigException("JWT_ALGORITHMS", "jwt: JWT_ALGORITHMS: unknown algorithm " + quote(n)
            + " (e.g. HS256, RS256, PS256, ES256, EdDSA)");
      }
      out.add(a);
    }
    return out.toArray(new JWSAlgorithm[0]);
  }

  /** An algorithm name as shown in an error: quoted, cut to 40 characters. */
  private static String quote(String value) {
    return '"' + (value.length() > 40 ? value.substring(0, 40) + "..." : value) + '"';
  }
}
