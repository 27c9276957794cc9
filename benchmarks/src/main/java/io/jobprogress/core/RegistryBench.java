package io.jobprogress.core;

import io.jobprogress.benchmarks.jmh.CountingConnection;
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
 * The fan-out lookup of one event in {@link ConnectionRegistry}: 10,000 connections of 5,000 users, each
 * user's two connections subscribed to the user's one job; per operation the subscribers of the next job
 * (round-robin over all 5,000) are looked up and filtered by the event's user, as the hub's delivery does
 * before it encodes and sends. The job id strings are the registry's own (their hash is cached); a decoded
 * envelope brings a new string, whose hashing the envelope benchmark's decode does not include either.
 *
 * <p>In package {@code io.jobprogress.core} of the benchmarks module because {@code ConnectionRegistry} is
 * package-private (same package name on the class path; nothing in the library changes). Benchmark state
 * is used by one thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class RegistryBench {

  /** Users with one job and two connections each. */
  @Param("5000")
  public int users;

  private ConnectionRegistry<ClientConnection> registry;
  private String[] jobIds;
  private String[] userIds;
  private int next; // the benchmark thread only

  @Setup(Level.Trial)
  public void fill() {
    registry = ConnectionRegistry.ofConnections();
    jobIds = new String[users];
    userIds = new String[users];
    for (int i = 0; i < users; i++) {
      jobIds[i] = Samples.jobId(i);
      userIds[i] = Samples.userId(i);
      for (int tab = 0; tab < 2; tab++) {
        CountingConnection c = new CountingConnection("c" + (2 * i + tab), userIds[i]);
        if (!registry.add(c, 10) || registry.subscribe(c, jobIds[i]) != ConnectionRegistry.SubscribeResult.ADDED) {
          throw new IllegalStateException("setup: could not register " + c.id());
        }
      }
    }
  }

  /** The subscribers of one job that belong to its user: the hub's loop without the sends. */
  @Benchmark
  public int subscribersOfOneJob(Blackhole bh) {
    int i = next;
    if (++next == users) {
      next = 0;
    }
    String user = userIds[i];
    int matched = 0;
    for (ClientConnection c : registry.subscriberArray(jobIds[i])) {
      if (c.userId().equals(user)) {
        bh.consume(c);
        matched++;
      }
    }
    return matched;
  }
}
