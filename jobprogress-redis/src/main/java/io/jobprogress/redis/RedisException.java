package io.jobprogress.redis;

/**
 * A Redis operation failed (connection refused or lost, timeout, server error). The message starts with
 * {@code "redis: "} and names the operation; the cause is the Jedis exception. Unchecked: callers that can
 * retry (a worker publishing progress) catch it, others let it propagate.
 */
public final class RedisException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** @param message {@code "redis: <operation> failed: ..."} */
  public RedisException(String message, Throwable cause) {
    super(message, cause);
  }
}
