package io.jobprogress.core;

import com.nimbusds.jose.JWSAlgorithm;
import io.jobprogress.core.internal.KeyLikeSecret;
import io.jobprogress.core.internal.PemPublicKeys;
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
import java.util.Map;

/**
 * Reads {@link JwtTokenVerifier#fromEnvironment}'s {@code JWT_*} variables. Every error names its
 * variable and never repeats the value of a variable that may hold a secret ({@code JWT_SECRET},
 * {@code JWT_PUBLIC_KEY}, {@code JWT_JWKS_URL}, which may carry credentials), not even in a cause, since
 * a host logging the startup failure prints the causes too. Stateless.
 */
final class JwtEnvironment {
  /** Ten years: the largest {@code JWT_MAX_LIFETIME_SECONDS} (a typo, not a policy, beyond that). */
  private static final long MAX_LIFETIME_LIMIT = 10L * 366 * 24 * 3600;

  private JwtEnvironment() {}

  static JwtTokenVerifier read(Map<String, String> env) {
    String secret = get(env, "JWT_SECRET");
    String publicKey = get(env, "JWT_PUBLIC_KEY");
    String jwksUrl = get(env, "JWT_JWKS_URL");
    int given = (secret != null ? 1 : 0) + (publicKey != null ? 1 : 0) + (jwksUrl != null ? 1 : 0);
    if (given != 1) {
      throw new IllegalArgumentException("jwt: set exactly one of JWT_SECRET, JWT_PUBLIC_KEY or JWT_JWKS_URL"
          + (given == 0 ? " (none is set)" : " (" + given + " are set)"));
    }
    JwtTokenVerifier.Builder b;
    if (secret != null) {
      int bytes = secret.getBytes(StandardCharsets.UTF_8).length;
      if (bytes < 32) {
        throw new IllegalArgumentException("jwt: JWT_SECRET must be at least 32 bytes, was " + bytes);
      }
      String keyKind = KeyLikeSecret.kind(secret);
      if (keyKind != null) {
        throw new IllegalArgumentException("jwt: JWT_SECRET looks like " + keyKind + ", not a shared secret"
            + " (value not shown): put a public key in JWT_PUBLIC_KEY, a key set's URL in JWT_JWKS_URL");
      }
      b = JwtTokenVerifier.hmac(secret);
    } else if (publicKey != null) {
      b = JwtTokenVerifier.publicKey(PemPublicKeys.parse(pem(publicKey)));
    } else {
      b = JwtTokenVerifier.jwks(url(jwksUrl));
    }
    String algs = get(env, "JWT_ALGORITHMS");
    if (algs != null) {
      b.algorithms(algorithms(algs));
    }
    b.issuer(get(env, "JWT_ISSUER")).audience(get(env, "JWT_AUDIENCE"));
    String claim = get(env, "JWT_USER_CLAIM");
    if (claim != null) {
      b.userClaim(claim);
    }
    String skew = get(env, "JWT_CLOCK_SKEW_SECONDS");
    if (skew != null) {
      b.clockSkew(Duration.ofSeconds(number("JWT_CLOCK_SKEW_SECONDS", skew, 0, 3600)));
    }
    String max = get(env, "JWT_MAX_TOKEN_LENGTH");
    if (max != null) {
      b.maxTokenLength((int) number("JWT_MAX_TOKEN_LENGTH", max, 256, 1 << 20));
    }
    String lifetime = get(env, "JWT_MAX_LIFETIME_SECONDS");
    if (lifetime != null) {
      b.maxTokenLifetime(Duration.ofSeconds(number("JWT_MAX_LIFETIME_SECONDS", lifetime, 1, MAX_LIFETIME_LIMIT)));
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      String var = e.getMessage().contains("algorithms") ? "JWT_ALGORITHMS" : "JWT_PUBLIC_KEY";
      throw new IllegalArgumentException("jwt: " + var + ": " + e.getMessage().replaceFirst("^jwt: ", ""), e);
    }
  }

  private static String get(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v.strip();
  }

  /**
   * PEM text as is, anything else read as a file path. The value is never shown (it may be a private key
   * or a secret pasted into the wrong variable) and no cause is kept (a JDK exception would show it).
   */
  private static String pem(String value) {
    String text = value;
    if (!value.startsWith("-----BEGIN")) {
      if (KeyLikeSecret.kind(value) != null) {
        throw new IllegalArgumentException("jwt: JWT_PUBLIC_KEY looks like " + KeyLikeSecret.kind(value)
            + " (value not shown); it takes a PEM public key or certificate, or the path of a file holding one"
            + " (a JWKS goes in JWT_JWKS_URL)");
      }
      try {
        text = Files.readString(Path.of(value), StandardCharsets.US_ASCII);
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException("jwt: JWT_PUBLIC_KEY is neither PEM text nor a readable file"
            + " (value not shown, " + value.length() + " characters; " + e.getClass().getSimpleName() + ")");
      }
    }
    try {
      PemPublicKeys.parse(text);
      return text;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("jwt: JWT_PUBLIC_KEY: " + e.getMessage() + " (value not shown)");
    }
  }

  private static URL url(String value) {
    try {
      URI uri = new URI(value);
      if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new IllegalArgumentException("jwt: JWT_JWKS_URL must be an absolute http(s) URL");
      }
      return uri.toURL();
    } catch (URISyntaxException | MalformedURLException e) {
      // no cause: its message repeats the URL, which may carry credentials
      throw new IllegalArgumentException("jwt: JWT_JWKS_URL is not a valid URL (value not shown; "
          + e.getClass().getSimpleName() + ")");
    }
  }

  private static JWSAlgorithm[] algorithms(String list) {
    List<JWSAlgorithm> out = new ArrayList<>();
    for (String name : list.split(",")) {
      String n = name.strip();
      JWSAlgorithm a = JWSAlgorithm.parse(n);
      if (n.isEmpty() || a.getRequirement() == null) { // parse() invents algorithms for unknown names
        throw new IllegalArgumentException("jwt: JWT_ALGORITHMS: unknown algorithm " + Ids.quote(n)
            + " (e.g. HS256, RS256, PS256, ES256, EdDSA)");
      }
      out.add(a);
    }
    return out.toArray(new JWSAlgorithm[0]);
  }

  private static long number(String name, String value, long min, long max) {
    long v;
    try {
      v = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("jwt: " + name + " must be a whole number, was " + Ids.quote(value));
    }
    if (v < min || v > max) {
      throw new IllegalArgumentException("jwt: " + name + " must be " + min + ".." + max + ", was " + v);
    }
    return v;
  }
}
