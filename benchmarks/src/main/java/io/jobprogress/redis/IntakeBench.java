package io.jobprogress.redis;

import io.jobprogress.benchmarks.jmh.Samples;
import io.jobprogress.core.ProgressEvent;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the Redis subscriber does with a decoded live event before the hub sees it ({@link Intake#live}): the
 * job-of-interest check and the delivery gate's duplicate filter, with {@code jobs} jobs of interest and
 * events round-robin over them (each a new seq, so each passes to the listener, here a counter). The event
 * object is made per operation ({@link ProgressEvent#withSequence}), as a decoded payload would bring it;
 * {@link #newEventBaseline} is that part alone, to subtract.
 *
 * <p>In package {@code io.jobprogress.redis} of the benchmarks module because {@code Intake} is
 * package-private. Single-threaded; the trial's teardown checks that every event reached the listener.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
public class IntakeBench {

  /** Jobs of interest on the instance. */
  @Param("5000")
  public int jobs;

  private Intake intake;
  private ProgressEvent[] events; // per job, a sample event; each operation gives it the job's next seq
  private long[] seqs; // per job, the last seq handed out (the benchmark thread only)
  private int next; // the benchmark thread only
  private long handed; // the benchmark thread only: events handed to the intake
  private long reached; // written by the listener, on the benchmark thread

  @Setup(Level.Trial)
  public void open() {
    intake = new Intake(RedisSettings.builder("redis://127.0.0.1:6379").build(), new RedisKeys(""), null);
    intake.gate.listener(e -> reached++);
    events = new ProgressEvent[jobs];
    seqs = new long[jobs];
    for (int i = 0; i < jobs; i++) {
      events[i] = Samples.event(i);
      intake.want(events[i].jobId(), true);
    }
  }

  @TearDown(Level.Trial)
  public void check() {
    if (reached != handed) {
      throw new IllegalStateException("the listener got " + reached + " of " + handed + " events");
    }
  }

  /** One live event through the interest check and the gate to the listener. */
  @Benchmark
  public long live() {
    int i = next;
    next = i + 1 == jobs ? 0 : i + 1;
    intake.live(events[i].withSequence(++seqs[i], Samples.EPOCH));
    handed++;
    return reached;
  }

  /** Only the per-operation event that {@link #live} makes, to subtract. */
  @Benchmark
  public ProgressEvent newEventBaseline() {
    int i = next;
    next = i + 1 == jobs ? 0 : i + 1;
    return events[i].withSequence(++seqs[i], Samples.EPOCH);
  }
}
