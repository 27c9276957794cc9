package io.jobprogress.core;

import com.nimbusds.jose.JWSAlgorithm;
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
 * variable and never repeats a secret's value. Stateless.
 */
final class JwtEnvironment {
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

  /** PEM text as is, anything else read as a file path. */
  private static String pem(String value) {
    String text = value;
    if (!value.startsWith("-----BEGIN")) {
      try {
        text = Files.readString(Path.of(value), StandardCharsets.US_ASCII);
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException("jwt: JWT_PUBLIC_KEY is neither PEM text nor a readable file: "
            + value + " (" + e.getClass().getSimpleName() + ")", e);
      }
    }
    try {
      PemPublicKeys.parse(text);
      return text;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("jwt: JWT_PUBLIC_KEY: " + e.getMessage(), e);
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
      throw new IllegalArgumentException("jwt: JWT_JWKS_URL is not a valid URL", e);
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
