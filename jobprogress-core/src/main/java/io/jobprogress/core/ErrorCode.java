package io.jobprogress.core;

/**
 * Every error frame the server sends: a stable snake-case {@link #code()} (the frame's {@code code}
 * field) and the human-readable text (the frame's {@code error} field, as v1 requires, docs/protocol.md).
 */
public enum ErrorCode {
  /** The frame is not valid JSON. */
  INVALID_JSON("invalid_json", "Invalid message format"),
  /** The frame is JSON but not an object. */
  NOT_AN_OBJECT("not_an_object", "Invalid message format: a frame must be a JSON object"),
  /** The frame has no string {@code type}. */
  MISSING_TYPE("missing_type", "Invalid message format: missing \"type\""),
  /** The {@code type} is not one the server knows. */
  UNKNOWN_TYPE("unknown_type", "Unknown message type"),
  /** {@code data} is missing or not an object where one is required. */
  INVALID_DATA("invalid_data", "Invalid message format: \"data\" must be an object"),
  /** {@code data.jobId} is missing. */
  MISSING_JOB_ID("missing_job_id", "Missing jobId"),
  /** {@code data.jobId} is not 1..128 characters of [A-Za-z0-9._:-]. */
  INVALID_JOB_ID("invalid_job_id", "Invalid jobId"),
  /** {@code data.sinceSeq} is not a non-negative integer, or is missing while {@code epoch} is given. */
  INVALID_SINCE_SEQ("invalid_since_seq", "Invalid sinceSeq: must be a non-negative integer, given with epoch"),
  /** {@code data.epoch} is not 1..64 characters of [A-Za-z0-9._:-], or is missing while {@code sinceSeq} is given. */
  INVALID_EPOCH("invalid_epoch", "Invalid epoch: must be 1..64 characters of [A-Za-z0-9._:-], given with sinceSeq"),
  /** An {@code options} frame without a boolean {@code batch}, or with a window out of range. */
  INVALID_OPTIONS("invalid_options", "Invalid options: \"batch\" must be true or false and \"batchWindowMs\" an integer in range"),
  /** {@code data.token} is missing or empty on refresh or auth. */
  MISSING_TOKEN("missing_token", "Missing token"),
  /** The frame nests too deeply or is otherwise too complex to read. */
  TOO_COMPLEX("too_complex", "Invalid message format: too deeply nested"),
  /** Subscription refused; reads the same whether the job exists or not. */
  FORBIDDEN("forbidden", "Job not found or access denied"),
  /** The connection already holds the maximum number of subscriptions. */
  SUBSCRIPTION_LIMIT("subscription_limit", "Too many subscriptions on this connection"),
  /** The message rate was exceeded; the frame was ignored. */
  RATE_LIMITED("rate_limited", "Rate limit exceeded; slow down"),
  /** A refresh token was invalid, expired or for another subject. */
  REFRESH_REFUSED("refresh_refused", "Token refresh refused"),
  /** The server could not complete the request. */
  INTERNAL("internal", "Internal server error");

  private final String code;
  private final String text;

  ErrorCode(String code, String text) {
    this.code = code;
    this.text = text;
  }

  /** The stable machine-readable code, e.g. {@code "invalid_job_id"}. */
  public String code() {
    return code;
  }

  /** The human-readable text sent as the frame's {@code error} field. */
  public String text() {
    return text;
  }
}
