package io.jobprogress.core;

/**
 * Turns a bearer token into the user it speaks for, or refuses it. The host picks the implementation:
 * {@link io.jobprogress.core.jwt.JwtTokenVerifier} for JWTs, or its own (sessions, API keys).
 *
 * <p>Implementations must be thread-safe and should not block for long: they run on handshake threads.
 * They never log the token.
 */
@FunctionalInterface
public interface TokenVerifier {

  /**
   * Verifies {@code token}.
   *
   * @return the authenticated user
   * @throws TokenRejectedException when the token is missing, malformed, wrongly signed, expired or not
   *     valid yet; its {@link TokenRejectedException#reason()} tells which close reason to use
   */
  AuthenticatedUser verify(String token) throws TokenRejectedException;
}
