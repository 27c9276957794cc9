package io.jobprogress.core;

/**
 * A token was refused. The message says why in words safe to log (it never contains the token); the
 * {@link #reason()} is what the client is told: {@link CloseReason#TOKEN_EXPIRED} for an expired token,
 * {@link CloseReason#TRY_LATER} when the keys to check it could not be fetched (e.g. an unreachable JWKS),
 * {@link CloseReason#INVALID_TOKEN} for everything else.
 */
public final class TokenRejectedException extends Exception {
  private final CloseReason reason;

  /**
   * @param reason the close reason to send
   * @param message why, without the token
   */
  public TokenRejectedException(CloseReason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  /** The close reason the connection is refused with. */
  public CloseReason reason() {
    return reason;
  }
}
