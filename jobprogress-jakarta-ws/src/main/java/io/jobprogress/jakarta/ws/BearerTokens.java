package io.jobprogress.jakarta.ws;

import java.util.List;

/**
 * Where a client's token is read from, written once for the WebSocket handshake, the handshake filter,
 * the polling servlet and the stats guard. A token travels as {@code Authorization: Bearer <jwt>}, as a
 * {@code bearer.<jwt>} entry of {@code Sec-WebSocket-Protocol} (browsers: a header, not the URL), or as
 * {@code ?token=}. Only reads; never logs. Stateless and thread-safe.
 */
final class BearerTokens {
  /** The prefix of the bearer entry in {@code Sec-WebSocket-Protocol}. */
  static final String SUBPROTOCOL_PREFIX = "bearer.";
  private static final String SCHEME = "Bearer ";

  private BearerTokens() {}

  /**
   * The token of a WebSocket upgrade: from the first {@code Authorization: Bearer} value, else the first
   * {@code bearer.<jwt>} subprotocol entry, else the {@code token} query parameter; null when none.
   *
   * @param authorization the {@code Authorization} header values, or null
   * @param subprotocols the {@code Sec-WebSocket-Protocol} header values (each a comma-separated list), or null
   * @param query the first {@code token} query parameter, or null
   */
  static String ofUpgrade(List<String> authorization, List<String> subprotocols, String query) {
    if (authorization != null) {
      for (String value : authorization) {
        String token = ofAuthorization(value);
        if (token != null) {
          return token;
        }
      }
    }
    String offered = ofSubprotocols(subprotocols);
    return offered != null ? offered : query;
  }

  /** The trimmed token after {@code Bearer } (scheme case-insensitive) in one header value, or null. */
  static String ofAuthorization(String value) {
    return value != null && value.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
        ? value.substring(SCHEME.length()).trim()
        : null;
  }

  /**
   * The token of the first {@code bearer.<jwt>} entry among the {@code Sec-WebSocket-Protocol} header values
   * (each a comma-separated list), or null.
   */
  static String ofSubprotocols(List<String> values) {
    if (values == null) {
      return null;
    }
    for (String value : values) {
      for (String entry : value == null ? new String[0] : value.split(",")) {
        String p = entry.trim();
        if (isSubprotocolEntry(p)) {
          return p.substring(SUBPROTOCOL_PREFIX.length());
        }
      }
    }
    return null;
  }

  /** Whether a requested subprotocol is a bearer entry (never to be negotiated or echoed). */
  static boolean isSubprotocolEntry(String protocol) {
    return protocol.regionMatches(true, 0, SUBPROTOCOL_PREFIX, 0, SUBPROTOCOL_PREFIX.length());
  }
}
