package io.jobprogress.core;

/**
 * A decoded client-to-server frame: one of the commands of the protocol, or {@link Invalid} saying why the
 * text was refused. {@link ProtocolCodec#decode} returns one for any input.
 */
sealed interface ClientFrame {

  /**
   * {@code {"type":"subscribe","data":{"jobId":"J"}}}: receive J's progress; with {@code sinceSeq} and
   * {@code epoch} (v1.1) a resume: replay what came after {@code sinceSeq} when the store still holds it.
   *
   * @param sinceSeq the last seq the client saw, or null for a plain subscribe
   * @param epoch the epoch {@code sinceSeq} belongs to; null exactly when {@code sinceSeq} is null
   */
  record Subscribe(String jobId, Long sinceSeq, String epoch) implements ClientFrame {
    /** A plain (v1) subscribe. */
    public Subscribe(String jobId) {
      this(jobId, null, null);
    }

    /** Whether the client asked to resume after {@code sinceSeq}. */
    public boolean resumes() {
      return sinceSeq != null;
    }
  }

  /** {@code {"type":"sync"}} (v1.1): the latest progress of each of the user's recently changed jobs. */
  record Sync() implements ClientFrame {}

  /**
   * {@code {"type":"options","data":{"batch":true,"batchWindowMs":N}}} (v1.1 extension): opt in to (or out
   * of) batched progress delivery.
   *
   * @param batch whether progress should come in {@code batch} frames
   * @param batchWindowMs the flush window the client asks for, or null for the server's default
   */
  record Options(boolean batch, Long batchWindowMs) implements ClientFrame {}

  /** {@code {"type":"unsubscribe","data":{"jobId":"J"}}}: stop receiving J. */
  record Unsubscribe(String jobId) implements ClientFrame {}

  /** {@code {"type":"ping"}}: liveness check, answered with pong. */
  record Ping() implements ClientFrame {}

  /**
   * {@code {"type":"refresh","data":{"token":"..."}}}: replace the connection's token before it expires.
   * {@code {"type":"auth",...}} with the same data decodes to this too (an alias kept for old clients).
   */
  record Refresh(String token) implements ClientFrame {
    @Override
    public String toString() {
      return "Refresh[token=<redacted>]";
    }
  }

  /**
   * The frame was refused.
   *
   * @param error what was wrong
   * @param detail a human-readable detail, never containing a token
   */
  record Invalid(ErrorCode error, String detail) implements ClientFrame {}
}
