package io.jobprogress.core;

/**
 * Every way the server closes a connection: the WebSocket close code and the exact reason text, a fixed
 * vocabulary a browser can act on (it cannot read a refused handshake's HTTP status, only 1006).
 *
 * <p>Client rule of thumb: {@link #shouldReconnect()} false means stop and report; {@link #TOKEN_EXPIRED}
 * means get a fresh token, then reconnect; 1012/1013 mean reconnect after a jittered back-off.
 */
public enum CloseReason {
  /** 1000: the server or client ended the session normally. */
  NORMAL(1000, "normal", true),
  /** 1001: the server is shutting down; reconnect elsewhere. */
  GOING_AWAY(1001, "going_away", true),
  /**
   * 1001: nothing was sent or received for the transport's idle timeout
   * ({@code JP_IDLE_TIMEOUT_MS}). Reconnect when still
   * needed; a client that keeps a connection open sends {@code ping} frames.
   */
  IDLE_TIMEOUT(1001, "idle_timeout", true),
  /**
   * 1003: the client sent a binary frame; the protocol is text only. Fix the client; reconnecting with the
   * same client repeats it.
   */
  UNSUPPORTED_DATA(1003, "unsupported_data", false),
  /** 1008: the token is missing, malformed, wrongly signed or not valid yet. Do not retry with it. */
  INVALID_TOKEN(1008, "invalid_token", false),
  /** 1008: the token expired (at the handshake or on the live connection). Refresh it and reconnect. */
  TOKEN_EXPIRED(1008, "token_expired", true),
  /** 1008: the user may not do this (wrong origin, another subject on refresh). Stop. */
  FORBIDDEN(1008, "forbidden", false),
  /** 1008: the connection kept flooding past the message rate. Back off before reconnecting. */
  RATE_LIMITED(1008, "rate_limited", true),
  /** 1008: the user already holds the maximum number of connections. */
  CONNECTION_LIMIT(1008, "connection_limit", true),
  /** 1009: a frame exceeded the size limit. */
  MESSAGE_TOO_BIG(1009, "message_too_big", true),
  /** 1011: an unexpected server error. Reconnect with back-off. */
  SERVER_ERROR(1011, "server_error", true),
  /** 1012: the server restarts. Reconnect with jitter. */
  RESTART(1012, "restart", true),
  /**
   * 1013: overloaded (the instance holds {@link HubSettings#maxConnections()} connections, or the JWKS is
   * unreachable); try again later with back-off.
   */
  TRY_LATER(1013, "try_later", true),
  /** 1013: the connection did not read its frames fast enough and its queue stayed full. */
  SLOW_CONSUMER(1013, "slow_consumer", true);

  private final int code;
  private final String reason;
  private final boolean shouldReconnect;

  CloseReason(int code, String reason, boolean shouldReconnect) {
    this.code = code;
    this.reason = reason;
    this.shouldReconnect = shouldReconnect;
  }

  /** The WebSocket close code. */
  public int code() {
    return code;
  }

  /** The close reason text sent with the code, e.g. {@code "token_expired"}. */
  public String reason() {
    return reason;
  }

  /** Whether a client should try again (possibly after refreshing its token or backing off). */
  public boolean shouldReconnect() {
    return shouldReconnect;
  }
}
