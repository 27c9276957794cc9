package io.jobprogress.core.jwt.internal;

/**
 * Recognises a "shared secret" that is really a key pasted into the wrong setting: PEM text (a public key
 * used as an HMAC secret lets anyone who downloads that key sign tokens) or JWK / JWK-set JSON. No
 * compatibility promise (internal package). Stateless and thread-safe.
 */
public final class KeyLikeSecret {
  private KeyLikeSecret() {}

  /**
   * What {@code secret} looks like, for an error message that must not show it: {@code "a PEM block"},
   * {@code "a JWK or JWK set (JSON)"}, or null when it looks like an ordinary secret.
   */
  public static String kind(String secret) {
    String s = secret.strip();
    if (s.contains("-----BEGIN")) {
      return "a PEM block";
    }
    if (s.startsWith("{") && (s.contains("\"kty\"") || s.contains("\"keys\""))) {
      return "a JWK or JWK set (JSON)";
    }
    return null;
  }
}
