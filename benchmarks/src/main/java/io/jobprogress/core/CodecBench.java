package io.jobprogress.core;

import io.jobprogress.benchmarks.jmh.Samples;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Encoding the {@code progress} frame the hub writes per delivered event ({@code ProtocolCodec.progressFrame}:
 * the JSON text, 240 bytes here, plus its {@link OutboundFrame}), and what encoding it once per event
 * and sharing it saves over encoding it for each connection. The hub does the former: its delivery encodes
 * at the first matching subscriber and hands the same frame to the others.
 *
 * <p>In package {@code io.jobprogress.core} of the benchmarks module because {@code ProtocolCodec} is
 * package-private (same package name on the class path; nothing in the library changes). Stateless apart
 * from the sample event.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class CodecBench {
  private ProgressEvent event;

  /** How many connections of the event's user subscribe to its job (the per-user limit is 10). */
  @State(Scope.Benchmark)
  public static class Fanout {
    /** Subscribers receiving the event. */
    @Param({"2", "10"})
    public int connections;
  }

  @Setup(Level.Trial)
  public void sample() {
    event = Samples.event(42);
  }

  /** One progress frame (JSON text and frame record) of a realistic event. */
  @Benchmark
  public OutboundFrame progressFrame() {
    return ProtocolCodec.progressFrame(event);
  }

  /** The frame's timestamp alone ({@code ProgressFrames.timestamp}: ISO-8601 with milliseconds, UTC). */
  @Benchmark
  public String timestamp() {
    return ProtocolCodec.timestamp(event.timestamp());
  }

  /** What the hub does: encode once, hand the same frame to every subscriber. */
  @Benchmark
  public void encodeOncePerEvent(Fanout fanout, Blackhole bh) {
    OutboundFrame frame = ProtocolCodec.progressFrame(event);
    for (int i = 0; i < fanout.connections; i++) {
      bh.consume(frame);
    }
  }

  /** The alternative: encode the same event again for each subscriber. */
  @Benchmark
  public void encodePerConnection(Fanout fanout, Blackhole bh) {
    for (int i = 0; i < fanout.connections; i++) {
      bh.consume(ProtocolCodec.progressFrame(event));
    }
  }
}
