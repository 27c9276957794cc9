package io.jobprogress.jakarta.ws;

import io.jobprogress.benchmarks.jmh.Samples;
import io.jobprogress.core.OutboundFrame;
import io.jobprogress.core.ProgressEvent;
import io.jobprogress.core.ProgressFrames;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A connection's {@link SendQueue} (capacity 256, the default): the frames that wait while a send is in
 * flight. Per operation:
 *
 * <ul>
 *   <li>{@link #offerPollUpdate}: a progress update waits and leaves (empty queue before and after): the
 *       FIFO slot plus the job's entry in the latest-wins map.
 *   <li>{@link #offerPollControl}: the same for a frame that must be sent (terminal, control): FIFO only.
 *   <li>{@link #replaceWaiting}: a newer update of a job whose update already waits overwrites it in place
 *       (8 jobs waiting, round-robin); what a slow connection's queue does under a stream of updates. Each
 *       operation makes its frame (new seq), as each event brings its own.
 * </ul>
 *
 * <p>In package {@code io.jobprogress.jakarta.ws} of the benchmarks module because {@code SendQueue} is
 * package-private (same package name on the class path; nothing in the library changes). Like the queue
 * itself, the state is used by one thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class SendQueueBench {
  private static final int WAITING_JOBS = 8;

  private SendQueue queue;
  private OutboundFrame update;
  private OutboundFrame control;
  private String[] texts;
  private String[] jobIds;
  private int next; // the benchmark thread only
  private long seq; // the benchmark thread only

  @Setup(Level.Iteration)
  public void fill() {
    queue = new SendQueue(256);
    ProgressEvent e = Samples.event(42);
    String text = ProgressFrames.progress(e);
    update = new OutboundFrame(text, e.jobId(), true, e.seq(), e.epoch());
    control = new OutboundFrame(text, e.jobId(), false, e.seq(), e.epoch());
    texts = new String[WAITING_JOBS];
    jobIds = new String[WAITING_JOBS];
    for (int i = 0; i < WAITING_JOBS; i++) {
      ProgressEvent job = Samples.event(i);
      texts[i] = ProgressFrames.progress(job);
      jobIds[i] = job.jobId();
    }
    seq = 1;
    next = 0;
  }

  /** An update waits in an empty queue and is polled. */
  @Benchmark
  public OutboundFrame offerPollUpdate() {
    queue.offer(update);
    return queue.poll();
  }

  /** A frame that must be sent waits in an empty queue and is polled. */
  @Benchmark
  public OutboundFrame offerPollControl() {
    queue.offer(control);
    return queue.poll();
  }

  /** A newer update replaces its job's waiting one. */
  @Benchmark
  public Object replaceWaiting() { // Object: SendQueue.Offer is not visible to JMH's generated package
    int i = next;
    if (++next == WAITING_JOBS) {
      next = 0;
      seq++;
    }
    return queue.offer(new OutboundFrame(texts[i], jobIds[i], true, seq, Samples.EPOCH));
  }

  /** Fails the run when the queue did not stay as described (replacements must not pile up). */
  @TearDown(Level.Iteration)
  public void check() {
    if (queue.size() > WAITING_JOBS) {
      throw new IllegalStateException("expected at most " + WAITING_JOBS + " waiting frames, got " + queue.size());
    }
  }
}
