package io.jobprogress.jakarta.ws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.WritePendingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

/**
 * {@link DirectFrameWriter} against an {@link EndPoint} seam (a JDK proxy: only {@code write} and
 * {@code close} matter) that records each write and completes it when the test says. Jetty's real end point,
 * with Jetty's flusher beside it, is {@code JettyDirectSendIT}'s.
 */
class DirectFrameWriterTest {

  /** What the seam does with a write: the callback and the buffers, in order. */
  @FunctionalInterface
  private interface OnWrite {
    void write(Callback callback, ByteBuffer[] buffers);
  }

  /** An end point whose writes go to {@code onWrite}, whose closes are counted in {@code closes}. */
  private static EndPoint endPoint(OnWrite onWrite, List<Throwable> closes) {
    return (EndPoint) Proxy.newProxyInstance(EndPoint.class.getClassLoader(), new Class<?>[] {EndPoint.class},
        (proxy, method, args) -> {
          switch (method.getName()) {
            case "write" -> onWrite.write((Callback) args[0], (ByteBuffer[]) args[1]);
            case "close" -> closes.add(args == null ? null : (Throwable) args[0]);
            case "toString" -> {
              return "test end point";
            }
            default -> throw new UnsupportedOperationException(method.getName());
          }
          return null;
        });
  }

  /** An end point taking one write at a time, as Jetty's does: a second one throws WritePendingException. */
  private static final class Writes {
    final List<Callback> callbacks = new ArrayList<>();
    final List<byte[]> frames = new ArrayList<>();
    final List<Throwable> closes = new ArrayList<>();
    boolean pending;
    final EndPoint endPoint = endPoint((callback, buffers) -> {
      if (pending) {
        throw new WritePendingException();
      }
      pending = true;
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      for (ByteBuffer buffer : buffers) {
        ByteBuffer b = buffer.duplicate();
        while (b.hasRemaining()) {
          bytes.write(b.get());
        }
      }
      frames.add(bytes.toByteArray());
      callbacks.add(callback);
    }, closes);

    /** A writer (frame limit 1,024 bytes) writing to this end point. */
    DirectFrameWriter writer() {
      return new DirectFrameWriter(endPoint, 1024);
    }

    /** Completes the newest write. */
    void complete() {
      pending = false;
      callbacks.get(callbacks.size() - 1).succeeded();
    }

    void fail(Throwable cause) {
      pending = false;
      callbacks.get(callbacks.size() - 1).failed(cause);
    }
  }

  /** A frame's completion remembering how it ended: not yet, written (null), or the failure. */
  private static final class Outcome implements Consumer<Throwable> {
    final CompletableFuture<Throwable> done = new CompletableFuture<>();

    @Override
    public void accept(Throwable x) {
      assertTrue(done.complete(x), "completed twice");
    }

    boolean succeededOnce() {
      return done.isDone() && done.join() == null;
    }

    Throwable failure() {
      return done.isDone() ? done.join() : null;
    }
  }

  /** Asserts that {@code writer} refuses a text frame and a pong as closed. */
  private static void assertRefused(DirectFrameWriter writer) {
    Outcome text = new Outcome();
    writer.writeText(utf8("late"), text);
    assertInstanceOf(ClosedChannelException.class, text.failure());
    Outcome pong = new Outcome();
    writer.writePong(ByteBuffer.allocate(0), pong);
    assertInstanceOf(ClosedChannelException.class, pong.failure());
  }

  private static ByteBuffer utf8(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] bytes(int... b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = (byte) b[i];
    }
    return out;
  }

  private static byte[] array(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  @Test
  void headersUseTheShortestOfTheThreeLengthForms() {
    assertArrayEquals(bytes(0x81, 0), array(DirectFrameWriter.header(0x81, 0)));
    assertArrayEquals(bytes(0x81, 125), array(DirectFrameWriter.header(0x81, 125)));
    assertArrayEquals(bytes(0x81, 126, 0, 126), array(DirectFrameWriter.header(0x81, 126)));
    assertArrayEquals(bytes(0x8A, 126, 0xFF, 0xFF), array(DirectFrameWriter.header(0x8A, 65535)));
    assertArrayEquals(bytes(0x01, 127, 0, 0, 0, 0, 0, 1, 0, 0), array(DirectFrameWriter.header(0x01, 65536)));
  }

  @Test
  void aTextAboveTheLimitLeavesAsFragmentsOfAtMostTheLimitThatJoinToTheWholeText() {
    String text = "abcdefghij".repeat(110); // 1,100 bytes
    ByteBuffer[] frames = DirectFrameWriter.text(utf8(text), 512);
    assertEquals(6, frames.length, "three fragments: 512, 512 and 76 bytes");
    assertArrayEquals(bytes(0x01, 126, 2, 0), array(frames[0]), "first: TEXT, not FIN");
    assertArrayEquals(bytes(0x00, 126, 2, 0), array(frames[2]), "then CONTINUATION, not FIN");
    assertArrayEquals(bytes(0x80, 76), array(frames[4]), "last: CONTINUATION, FIN");
    StringBuilder joined = new StringBuilder();
    for (int i = 1; i < frames.length; i += 2) {
      joined.append(StandardCharsets.UTF_8.decode(frames[i].duplicate()));
    }
    assertEquals(text, joined.toString());
    ByteBuffer[] whole = DirectFrameWriter.text(utf8("short"), 512);
    assertArrayEquals(bytes(0x81, 5), array(whole[0]), "within the limit: one TEXT frame, FIN");
  }

  @Test
  void whileAWriteIsInFlightOnlyTheNewestPongWaitsAndItLeavesBeforeTheWaitingText() {
    Writes w = new Writes();
    DirectFrameWriter writer = w.writer();
    Outcome a = new Outcome();
    Outcome b = new Outcome();
    Outcome[] pongs = {new Outcome(), new Outcome(), new Outcome()};
    writer.writeText(utf8("a"), a);
    for (int i = 0; i < pongs.length; i++) {
      writer.writePong(ByteBuffer.wrap(new byte[] {(byte) i}), pongs[i]);
    }
    writer.writeText(utf8("b"), b);
    assertEquals(1, w.frames.size(), "one write at a time");
    assertInstanceOf(CancellationException.class, pongs[0].failure(), "replaced by a newer pong");
    assertInstanceOf(CancellationException.class, pongs[1].failure());

    w.complete();
    assertTrue(a.succeededOnce());
    assertArrayEquals(bytes(0x8A, 1, 2), w.frames.get(1), "the newest pong next");
    w.complete();
    assertTrue(pongs[2].succeededOnce());
    assertArrayEquals(bytes(0x81, 1, 'b'), w.frames.get(2), "then the text that waited");
    w.complete();
    assertTrue(b.succeededOnce());
    assertEquals(3, w.frames.size());
  }

  @Test
  void aCloseWaitsForTheWriteInFlightAndEveryLaterFrameIsRefused() {
    Writes w = new Writes();
    DirectFrameWriter writer = w.writer();
    List<String> order = new ArrayList<>();
    Consumer<Throwable> a = x -> order.add(x == null ? "a written" : "a failed");
    AtomicInteger closes = new AtomicInteger();
    writer.writeText(utf8("a"), a);
    writer.closeAfterWrites(() -> order.add("close " + closes.incrementAndGet()));
    writer.closeAfterWrites(() -> order.add("close " + closes.incrementAndGet()));
    assertEquals(List.of(), order, "a write is in flight: Jetty may not write a close frame yet, nor a second");
    assertRefused(writer);

    w.complete();
    // the close first: completing "a" lets the pipeline try its next frame, refused, which closes with 1011
    assertEquals(List.of("close 1", "close 2", "a written"), order,
        "handed over in order once the write finished, before its callback");
    assertEquals(1, w.frames.size(), "nothing written after the close");
    writer.closeAfterWrites(closes::incrementAndGet);
    assertEquals(3, closes.get(), "a later close runs at once");
  }

  @Test
  void aCloseWithNothingInFlightRunsAtOnce() {
    Writes w = new Writes();
    DirectFrameWriter writer = w.writer();
    AtomicInteger closes = new AtomicInteger();
    writer.closeAfterWrites(closes::incrementAndGet);
    assertEquals(1, closes.get());
    assertRefused(writer);
    assertTrue(w.frames.isEmpty());
  }

  @Test
  void aFailedWriteFailsWhatWaitsClosesTheEndPointAndHandsOverTheClose() {
    Writes w = new Writes();
    DirectFrameWriter writer = w.writer();
    Outcome a = new Outcome();
    Outcome b = new Outcome();
    Outcome pong = new Outcome();
    AtomicBoolean closed = new AtomicBoolean();
    writer.writeText(utf8("a"), a);
    writer.writePong(ByteBuffer.allocate(0), pong);
    writer.writeText(utf8("b"), b);
    writer.closeAfterWrites(() -> closed.set(true));
    IOException reset = new IOException("connection reset");

    w.fail(reset);
    assertSame(reset, a.failure());
    assertSame(reset, b.failure());
    assertSame(reset, pong.failure());
    assertEquals(List.of(reset), w.closes, "the end point closed with the cause");
    assertTrue(closed.get());
    assertRefused(writer);
  }

  @Test
  void whenJettysFlusherIsWritingTheFrameFailsAndTheEndPointIsLeftToJetty() {
    Writes w = new Writes();
    w.pending = true; // Jetty's flusher is writing its close frame
    DirectFrameWriter writer = w.writer();
    Outcome a = new Outcome();
    writer.writeText(utf8("a"), a);
    assertInstanceOf(WritePendingException.class, a.failure());
    assertTrue(w.closes.isEmpty(), "Jetty's flusher closes it after its close frame");
    assertRefused(writer);
  }

  @Test
  void aSecondTextWhileOneWaitsIsRefusedNotLost() {
    Writes w = new Writes();
    DirectFrameWriter writer = w.writer();
    Outcome a = new Outcome();
    Outcome b = new Outcome();
    Outcome c = new Outcome();
    writer.writeText(utf8("a"), a);
    writer.writeText(utf8("b"), b);
    writer.writeText(utf8("c"), c);
    assertInstanceOf(IllegalStateException.class, c.failure());
    assertNull(b.failure());
    w.complete();
    w.complete();
    assertTrue(b.succeededOnce());
  }

  /**
   * Pongs from one thread and texts one at a time from another (as the pipeline sends them), with writes
   * completing on a third or on the writing thread itself: writes never overlap, every text is written once
   * and in order, every callback ends once, and the stack does not grow with the frames written.
   */
  @Test
  void concurrentPongsAndTextsNeverOverlapAndEveryTextIsWrittenOnceInOrder() throws Exception {
    AtomicBoolean writing = new AtomicBoolean();
    AtomicInteger overlaps = new AtomicInteger();
    ConcurrentLinkedQueue<byte[]> written = new ConcurrentLinkedQueue<>();
    ExecutorService completer = Executors.newSingleThreadExecutor();
    AtomicInteger deepestStack = new AtomicInteger();
    EndPoint endPoint = endPoint((cb, buffers) -> {
      if (!writing.compareAndSet(false, true)) {
        overlaps.incrementAndGet();
      }
      deepestStack.accumulateAndGet(Thread.currentThread().getStackTrace().length, Math::max);
      ByteBuffer payload = buffers[buffers.length - 1].duplicate();
      byte[] copy = new byte[payload.remaining()];
      payload.get(copy);
      written.add(copy);
      if (copy.length % 2 == 0) { // some complete on the writing thread, as a socket that took it whole
        writing.set(false);
        cb.succeeded();
      } else {
        completer.execute(() -> {
          writing.set(false);
          cb.succeeded();
        });
      }
    }, new ArrayList<>());
    DirectFrameWriter writer = new DirectFrameWriter(endPoint, 1024);
    int texts = 2_000;
    CountDownLatch allDone = new CountDownLatch(texts);
    AtomicInteger next = new AtomicInteger();
    Runnable[] sendNext = new Runnable[1];
    sendNext[0] = () -> {
      int i = next.getAndIncrement();
      if (i < texts) {
        writer.writeText(utf8("t" + i), x -> {
          if (x != null) {
            throw new AssertionError(x);
          }
          allDone.countDown();
          sendNext[0].run();
        });
      }
    };
    Thread pinger = new Thread(() -> {
      while (allDone.getCount() > 0) {
        writer.writePong(ByteBuffer.wrap(new byte[] {1}), x -> { });
      }
    });
    pinger.start();
    sendNext[0].run();
    assertTrue(allDone.await(30, TimeUnit.SECONDS), "every text completed");
    pinger.join();
    completer.shutdown();
    assertTrue(completer.awaitTermination(10, TimeUnit.SECONDS));
    assertEquals(0, overlaps.get(), "two writes at once");
    // writes completing on the writing thread must not nest: a recursion grew the stack with every frame
    // (and overflowed it once in CI)
    assertTrue(deepestStack.get() < 150, () -> "stack depth at a write: " + deepestStack.get());
    List<String> textsWritten = written.stream().filter(b -> b.length == 0 || b[0] == 't')
        .map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < texts; i++) {
      expected.add("t" + i);
    }
    assertEquals(expected, textsWritten);
    assertFalse(written.isEmpty());
  }
}
