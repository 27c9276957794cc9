package io.jobprogress.core;

import java.time.Instant;

/**
 * Who a verified token speaks for. Immutable and thread-safe.
 *
 * @param userId the user id (the token's subject, or the configured claim), a valid {@link Ids id}
 * @param expiresAt when the token expires, or {@code null} for a token without expiry
 */
public record AuthenticatedUser(String userId, Instant expiresAt) {
  /** Validates the user id. */
  public AuthenticatedUser {
    Ids.require("userId", userId);
  }
}
