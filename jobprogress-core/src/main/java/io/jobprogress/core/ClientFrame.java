package io.jobprogress.core;

/**
 * A decoded client-to-server frame: one of the commands of the protocol, or {@link Invalid} saying why the
 * text was refused. {@link ProtocolCodec#decode} returns one for any input.
 */
public sealed interface ClientFrame {

  /** {@code {"type":"subscribe","data":{"jobId":"J"}}}: receive J's progress. */
  record Subscribe(String jobId) implements ClientFrame {}

  /** {@code {"type":"unsubscribe","data":{"jobId":"J"}}}: stop receiving J. */
  record Unsubscribe(String jobId) implements ClientFrame {}

  /** {@code {"type":"ping"}}: liveness check, answered with pong. */
  record Ping() implements ClientFrame {}

  /** {@code {"type":"refresh","data":{"token":"..."}}}: replace the connection's token before it expires. */
  record Refresh(String token) implements ClientFrame {
    @Override
    public String toString() {
      return "Refresh[token=<redacted>]";
    }
  }

  /** {@code {"type":"auth","data":{"token":"..."}}}: first-frame authentication. */
  record Auth(String token) implements ClientFrame {
    @Override
    public String toString() {
      return "Auth[token=<redacted>]";
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
