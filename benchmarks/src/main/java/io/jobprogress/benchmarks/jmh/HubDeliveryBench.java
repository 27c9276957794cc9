package io.jobprogress.benchmarks.jmh;

import io.jobprogress.core.AuthenticatedUser;
import io.jobprogress.core.Broadcaster;
import io.jobprogress.core.CloseReason;
import io.jobprogress.core.HubSession;
import io.jobprogress.core.HubSettings;
import io.jobprogress.core.InMemoryBroadcaster;
import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.JobStatus;
import io.jobprogress.core.ProgressEvent;
import io.jobprogress.core.SnapshotStore;
import io.jobprogress.core.TokenRejectedException;
import java.util.Map;
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
 * The hub's whole delivery of one event, the real per-event cost on a server instance: a hub with 10,000
 * open sessions ({@link CountingConnection}s) of 5,000 users, each user's two connections subscribed to
 * the user's one job (through the protocol, so every session has its outbox and snapshot), events
 * round-robin over the 5,000 jobs, each reaching its 2 subscribers.
 *
 * <ul>
 *   <li>{@link #deliver}: what the broadcaster's delivery thread runs per event (the Redis subscriber calls
 *       the same listener after decoding the envelope): subscriber lookup, user filter, one progress frame
 *       encoded and shared, each session's outbox (seq filter) and {@code send}.
 *   <li>{@link #publishInMemory}: {@link JobProgressHub#publishJobUpdate} with the in-memory broadcaster:
 *       the store's append (seq, history) plus the same delivery, on the publishing thread.
 *   <li>{@link #newEventBaseline}: only the per-operation event construction that {@link #deliver} includes
 *       (a new seq per event, as a decoded envelope would bring), to subtract.
 * </ul>
 *
 * <p>Single-threaded (the connections count without synchronization). The trial's teardown checks that
 * every delivered event reached both subscribers, so a benchmark that silently dropped frames fails.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
public class HubDeliveryBench {

  /** Users with one job and two connections each. */
  @Param("5000")
  public int users;

  private ListenerTap broadcaster;
  private JobProgressHub hub;
  private CountingConnection[] connections;
  private ProgressEvent[] unsequenced; // per job, what a worker publishes (seq 0)
  private ProgressEvent[] stored; // per job, with the store's epoch; deliver() gives it a new seq
  private int next; // the benchmark thread only: the job of the next operation
  private long round; // the benchmark thread only: completed passes over all jobs
  private long events; // the benchmark thread only: events delivered or published since the last check

  @Setup(Level.Trial)
  public void open() {
    broadcaster = new ListenerTap(new InMemoryBroadcaster());
    HubSettings settings = HubSettings.defaults().toBuilder().maxConnections(2 * users).build();
    hub = JobProgressHub.builder().broadcaster(broadcaster).settings(settings)
        .tokenVerifier(token -> {
          throw new TokenRejectedException(CloseReason.INVALID_TOKEN, "the benchmark opens sessions directly");
        })
        .build();
    connections = new CountingConnection[2 * users];
    unsequenced = new ProgressEvent[users];
    stored = new ProgressEvent[users];
    for (int i = 0; i < users; i++) {
      ProgressEvent sample = Samples.event(i);
      ProgressEvent queued = hub.publishJobUpdate(ProgressEvent.queued(sample.jobId(), sample.userId()));
      unsequenced[i] = new ProgressEvent(sample.jobId(), sample.userId(), JobStatus.PROCESSING, sample.progress(),
          sample.stage(), sample.message(), sample.timestamp(), 0, null);
      stored[i] = unsequenced[i].withSequence(queued.seq(), queued.epoch());
      for (int tab = 0; tab < 2; tab++) {
        CountingConnection c = new CountingConnection("c" + (2 * i + tab), sample.userId());
        connections[2 * i + tab] = c;
        HubSession s = hub.open(c, new AuthenticatedUser(sample.userId(), null));
        s.onText("{\"type\":\"subscribe\",\"data\":{\"jobId\":\"" + sample.jobId() + "\"}}");
        if (c.sent() != 3 || hub.subscriberCount(sample.jobId()) != tab + 1) { // connected, subscribed, snapshot
          throw new IllegalStateException("setup: connection " + c.id() + " got " + c.sent() + " frames");
        }
      }
    }
    for (CountingConnection c : connections) {
      c.reset();
    }
  }

  /** One event of the next job, seq one above the previous of that job, through the broadcaster's listener. */
  @Benchmark
  public ProgressEvent deliver() {
    ProgressEvent e = nextEvent();
    broadcaster.listener.onEvent(e);
    events++;
    return e;
  }

  /** One update of the next job published through the hub: in-memory store append plus delivery. */
  @Benchmark
  public ProgressEvent publishInMemory() {
    ProgressEvent e = unsequenced[next];
    if (++next == users) {
      next = 0;
    }
    events++;
    return hub.publishJobUpdate(e);
  }

  /** The event construction alone that {@link #deliver} does per operation. */
  @Benchmark
  public ProgressEvent newEventBaseline() {
    return nextEvent();
  }

  private ProgressEvent nextEvent() {
    ProgressEvent e = stored[next].withSequence(stored[next].seq() + 1 + round, stored[next].epoch());
    if (++next == users) {
      next = 0;
      round++;
    }
    return e;
  }

  /** Fails the run when a delivered event did not reach both subscribers of its job. */
  @TearDown(Level.Iteration)
  public void check() {
    long sent = 0;
    for (CountingConnection c : connections) {
      sent += c.sent();
      c.reset();
    }
    if (sent != 2 * events) {
      throw new IllegalStateException("expected " + 2 * events + " frames for " + events + " events, got " + sent);
    }
    events = 0;
  }

  @TearDown(Level.Trial)
  public void close() {
    hub.close();
  }

  /** An in-memory broadcaster that also hands the benchmark the hub's listener. Thread-safe like its delegate. */
  private static final class ListenerTap implements Broadcaster {
    private final InMemoryBroadcaster delegate;
    private volatile Listener listener; // set once by the hub's constructor, read by the benchmark thread

    ListenerTap(InMemoryBroadcaster delegate) {
      this.delegate = delegate;
    }

    @Override
    public void start(Listener l) {
      this.listener = l;
      delegate.start(l);
    }

    @Override
    public ProgressEvent publish(ProgressEvent event) {
      return delegate.publish(event);
    }

    @Override
    public SnapshotStore store() {
      return delegate.store();
    }

    @Override
    public Map<String, Object> stats() {
      return delegate.stats();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
