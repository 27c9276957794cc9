package io.jobprogress.jakarta.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jobprogress.core.OutboundFrame;
import org.junit.jupiter.api.Test;

class SendQueueTest {
  private static OutboundFrame update(String job, int p) {
    return new OutboundFrame(job + ":" + p, job, true);
  }

  private static OutboundFrame terminal(String job) {
    return new OutboundFrame(job + ":done", job, false);
  }

  private static OutboundFrame sequenced(String job, long seq, String epoch) {
    return new OutboundFrame(job + ":" + epoch + "/" + seq, job, true, seq, epoch);
  }

  @Test
  void anOlderSeqArrivingLateNeverReplacesTheNewerWaitingUpdate() {
    SendQueue q = new SendQueue(8);
    q.offer(sequenced("a", 5, "e1"));
    assertEquals(SendQueue.Offer.STALE, q.offer(sequenced("a", 4, "e1")));
    assertEquals(SendQueue.Offer.STALE, q.offer(sequenced("a", 5, "e1")));
    assertEquals("a:e1/5", q.poll().text());
    assertNull(q.poll());
  }

  @Test
  void aHigherSeqOrAnotherEpochReplacesTheWaitingUpdate() {
    SendQueue q = new SendQueue(8);
    q.offer(sequenced("a", 5, "e1"));
    assertEquals(SendQueue.Offer.REPLACED, q.offer(sequenced("a", 6, "e1")));
    assertEquals(SendQueue.Offer.REPLACED, q.offer(sequenced("a", 1, "e2")));
    assertEquals("a:e2/1", q.poll().text());
    assertNull(q.poll());
  }

  @Test
  void aNewerUpdateReplacesTheWaitingOneOfTheSameJobInPlace() {
    SendQueue q = new SendQueue(8);
    q.offer(update("a", 1));
    q.offer(update("b", 1));
    assertEquals(SendQueue.Offer.REPLACED, q.offer(update("a", 2)));
    assertEquals("a:2", q.poll().text());
    assertEquals("b:1", q.poll().text());
    assertNull(q.poll());
  }

  @Test
  void anUpdateAfterATerminalFrameQueuesBehindItInsteadOfOvertaking() {
    SendQueue q = new SendQueue(8);
    q.offer(update("a", 1));
    q.offer(terminal("a"));
    assertEquals(SendQueue.Offer.QUEUED, q.offer(update("a", 2)));
    assertEquals("a:1", q.poll().text());
    assertEquals("a:done", q.poll().text());
    assertEquals("a:2", q.poll().text());
  }

  @Test
  void whenFullAnUpdateOfANewJobIsDroppedAndAControlFrameEvictsTheOldestUpdate() {
    SendQueue q = new SendQueue(2);
    q.offer(update("a", 1));
    q.offer(OutboundFrame.control("pong"));
    assertEquals(SendQueue.Offer.DROPPED, q.offer(update("b", 1)));
    assertEquals(SendQueue.Offer.REPLACED, q.offer(update("a", 2)));
    assertEquals(SendQueue.Offer.EVICTED, q.offer(terminal("b")));
    assertEquals(2, q.size());
    assertEquals("pong", q.poll().text());
    assertEquals("b:done", q.poll().text());
  }

  @Test
  void aQueueFullOfFramesThatMustBeSentRefusesTheNextOne() {
    SendQueue q = new SendQueue(2);
    q.offer(terminal("a"));
    q.offer(OutboundFrame.control("pong"));
    assertEquals(SendQueue.Offer.REFUSED, q.offer(terminal("b")));
    assertEquals(2, q.size());
  }
}
