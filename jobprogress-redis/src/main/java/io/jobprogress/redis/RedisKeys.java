package io.jobprogress.redis;

/**
 * Names of one deployment's channels and keys.
 *
 * <p>The channel of job J is {@code <prefix>job:J} (v1's {@code job:J} with the default empty
 * prefix). Keys wrap that channel name in a hash tag, e.g. {@code jp:{job:J}:snap}: a Cluster hashes only
 * the tag, and a channel without braces is hashed whole, so a job's three keys and its channel map to one
 * slot. Ids and the prefix cannot contain braces or glob characters (validated elsewhere). Immutable.
 */
final class RedisKeys {
  private final String prefix;
  private final String channelHead; // <prefix>job:

  RedisKeys(String prefix) {
    this.prefix = prefix;
    this.channelHead = prefix + "job:";
  }

  String channel(String jobId) {
    return prefix + "job:" + jobId;
  }

  /** The PATTERN mode's pattern, {@code <prefix>job:*}. */
  String pattern() {
    return prefix + "job:*";
  }

  /** The job id of a job channel, or {@code null} when {@code channel} is not one. */
  String jobIdOf(String channel) {
    return channel.startsWith(channelHead) ? channel.substring(channelHead.length()) : null;
  }

  /** Whether {@code channel} is job {@code jobId}'s channel; {@code jobIdOf(channel).equals(jobId)} without copying. */
  boolean isChannelOf(String channel, String jobId) {
    return channel.length() == channelHead.length() + jobId.length() && channel.startsWith(channelHead)
        && channel.startsWith(jobId, channelHead.length());
  }

  /** A channel nobody publishes to: keeps an INTEREST subscriber connection in pub/sub mode. */
  String controlChannel(String nodeId) {
    return prefix + "jp:node:" + nodeId;
  }

  /** Latest envelope (string, with TTL). */
  String snapshot(String jobId) {
    return "jp:{" + channel(jobId) + "}:snap";
  }

  /** Bounded history (stream, field {@code e} holds the envelope). */
  String history(String jobId) {
    return "jp:{" + channel(jobId) + "}:hist";
  }

  /**
   * The user's recent jobs (sorted set, score = update time in ms, member = job id), read by
   * {@code recentJobsOf}. Its slot differs from the job's keys, so on a Redis Cluster (which refuses a
   * script spanning slots, CROSSSLOT) it is written by a second script; see {@link RedisPublisher}.
   */
  String userJobs(String userId) {
    return "jp:{" + prefix + "user:" + userId + "}:jobs";
  }

  /**
   * Hash with {@code seq}, {@code epoch}, once terminal {@code term}, and the publish script's applied-call
   * marks {@code m<stream>.<slot>} ({@link PublishScript}).
   */
  String meta(String jobId) {
    return "jp:{" + channel(jobId) + "}:meta";
  }
}
