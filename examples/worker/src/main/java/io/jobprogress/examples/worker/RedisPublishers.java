package io.jobprogress.examples.worker;

import io.jobprogress.publisher.JobProgressPublisher;

/**
 * Where the worker gets its Redis {@link JobProgressPublisher}: the one place to change when wiring it
 * differently. Stateless.
 */
final class RedisPublishers {
  private RedisPublishers() {}

  /**
   * A publisher that reaches every server instance through the Redis at {@code redisUrl}.
   *
   * @throws IllegalStateException until the Redis publisher is wired
   */
  static JobProgressPublisher create(String redisUrl) {
    // TODO(lead): wire the Redis publisher from jobprogress-publisher/jobprogress-redis once the redis
    // branch is merged (e.g. RedisJobProgressPublisher.fromUrl(redisUrl)).
    throw new IllegalStateException(
        "worker: this build has no Redis publisher yet (jobprogress-redis not merged)");
  }
}
