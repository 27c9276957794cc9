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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The Redis envelope ({@link EnvelopeCodec}) of a realistic event, 264 bytes.
 *
 * <ul>
 *   <li>{@link #receive}: what the subscriber does per pub/sub message before handing the event to the hub:
 *       decode and validate the payload (streaming {@code JsonReader}, the timestamp, the event's own validation) and
 *       check the job id against the channel's. Starts from the payload as a {@code String}: Jedis's UTF-8
 *       decoding of the bytes is not included.
 *   <li>{@link #head}: the publisher's client-side encoding per publish (the script appends seq and epoch).
 *   <li>{@link #encode}: the whole payload, as the script assembles it.
 * </ul>
 *
 * <p>In package {@code io.jobprogress.redis} of the benchmarks module because {@code EnvelopeCodec} and
 * {@code RedisKeys} are package-private (same package name on the class path; nothing in the library
 * changes). Read-only state after setup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class EnvelopeBench {
  private ProgressEvent event;
  private String nodeId;
  private RedisKeys keys;
  private String channel;
  private String payload;

  @Setup(Level.Trial)
  public void sample() {
    event = Samples.event(42);
    nodeId = "9c2e41b07a5d"; // 12 characters, as RedisSettings makes them
    keys = new RedisKeys("");
    channel = keys.channel(event.jobId());
    payload = EnvelopeCodec.encode(event, nodeId);
    if (!EnvelopeCodec.decode(payload).equals(event)) {
      throw new IllegalStateException("setup: the envelope does not decode to its event: " + payload);
    }
  }

  /** Decode one received payload and check it against its channel, as {@code Subscriber.message} does. */
  @Benchmark
  public ProgressEvent receive() {
    ProgressEvent e = EnvelopeCodec.decode(payload);
    if (!keys.isChannelOf(channel, e.jobId())) {
      throw new IllegalStateException("channel " + channel + " carries job " + e.jobId());
    }
    return e;
  }

  /** The part of the payload the publisher encodes per publish. */
  @Benchmark
  public String head() {
    return EnvelopeCodec.head(event);
  }

  /** The whole payload of a sequenced event. */
  @Benchmark
  public String encode() {
    return EnvelopeCodec.encode(event, nodeId);
  }
}
