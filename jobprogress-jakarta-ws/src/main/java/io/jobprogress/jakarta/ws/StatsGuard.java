package io.jobprogress.jakarta.ws;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * Decides whether a stats request may see who is connected: the host's callback for {@link StatsServlet}.
 * Without one, the servlet answers counts only ({@code totalUsers}, {@code totalClients} and the
 * broadcaster's non-identifying health); a request the guard accepts gets the full body with
 * {@code clientsByUser} and the broadcaster's details (such as its node id). Implementations must be
 * thread-safe and must not block for long: they run on the container's request threads.
 */
@FunctionalInterface
public interface StatsGuard {

  /** Whether {@code request} may read the full stats body; false answers counts only. */
  boolean mayReadFullStats(HttpServletRequest request);

  /** Nobody sees the full body: the default. */
  static StatsGuard countsOnly() {
    return request -> false;
  }

  /**
   * Requests carrying {@code Authorization: Bearer <token>} with exactly {@code token} (compared in constant
   * time) see the full body; everyone else gets counts.
   *
   * @throws IllegalArgumentException when {@code token} is blank
   */
  static StatsGuard bearer(String token) {
    Objects.requireNonNull(token, "token");
    if (token.isBlank()) {
      throw new IllegalArgumentException("StatsGuard: the stats token must not be blank");
    }
    byte[] expected = token.getBytes(StandardCharsets.UTF_8);
    return request -> {
      String presented = BearerTokens.ofAuthorization(request.getHeader("Authorization"));
      return presented != null && MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8));
    };
  }
}
