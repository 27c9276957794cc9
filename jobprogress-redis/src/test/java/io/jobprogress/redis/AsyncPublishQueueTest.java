package io.jobprogress.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * How many queued calls one pipeline takes ({@link AsyncPublishQueue#batchSize}). That every call is still
 * stored, in call order, through both sizes is {@code RedisPublisherOutageIT}'s (a deep backlog after a
 * restart).
 */
class AsyncPublishQueueTest {
  @Test
  void aShallowQueueGoesInShortPipelinesAndADeepOneInLongOnes() {
    assertEquals(AsyncPublishQueue.SHALLOW_BATCH, AsyncPublishQueue.batchSize(1));
    assertEquals(AsyncPublishQueue.SHALLOW_BATCH, AsyncPublishQueue.batchSize(AsyncPublishQueue.DEEP_QUEUE));
    assertEquals(AsyncPublishQueue.MAX_BATCH, AsyncPublishQueue.batchSize(AsyncPublishQueue.DEEP_QUEUE + 1));
    assertEquals(AsyncPublishQueue.MAX_BATCH, AsyncPublishQueue.batchSize(100_000));
  }
}
