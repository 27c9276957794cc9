package io.jobprogress.redis;

/**
 * Completes the future of an asynchronous publish that was replaced, while Redis was away and the buffer
 * was full, by a newer update of the same job (latest wins). Nothing is lost that a subscriber needs: the
 * newer update carries the job's current state. The message names the job and the superseded status and
 * progress. Unchecked.
 */
public final class PublishSupersededException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** @param message {@code "redis: update of job J (processing 40%) superseded by ..."} */
  public PublishSupersededException(String message) {
    super(message, null, false, false);
  }
}
