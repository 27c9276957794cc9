package io.jobprogress.redis;

import io.jobprogress.core.ProgressEvent;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both subscribers ({@link Subscriber}, {@link ClusterSubscriber}) do with an event once it is in hand,
 * in one place: decode a pub/sub message and drop (and count) a malformed one or one on the wrong channel,
 * re-deliver a job's stored latest event with backoff, and hand either to the {@link DeliveryGate}, which
 * also holds the jobs of interest ({@link #want}). Also the counters both report in their stats.
 *
 * <p>Thread-safe: the jobs of interest are the gate's concurrent map (written by the hub's threads, read by the
 * reader and ops threads), the counters are atomic, the gate has its own lock.
 */
final class Intake {
  private static final Logger log = LoggerFactory.getLogger(Intake.class);

  /** Decides which events reach the hub (duplicates dropped), and holds the jobs of interest; thread-safe itself. */
  final DeliveryGate gate = new DeliveryGate();
  /** Jobs of interest on this instance: a read-only live view of the gate's tracked jobs; change it with {@link #want}. */
  final Set<String> wanted = gate.trackedJobs();
  private final RedisSettings settings;
  private final RedisKeys keys;
  private final RedisSnapshotStore store;
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();
  private final AtomicLong redelivered = new AtomicLong();

  Intake(RedisSettings settings, RedisKeys keys, RedisSnapshotStore store) {
    this.settings = settings;
    this.keys = keys;
    this.store = store;
  }

  /** One pub/sub message from {@code channel}: decoded, checked against its channel, delivered; never throws. */
  void message(String channel, String message) {
    received.incrementAndGet();
    ProgressEvent e;
    try {
      e = EnvelopeCodec.decode(message);
      if (!keys.isChannelOf(channel, e.jobId())) {
        throw new IllegalArgumentException("channel " + channel + " carries job " + e.jobId());
      }
    } catch (IllegalArgumentException ex) {
      malformed.incrementAndGet();
      log.debug("redis: dropping a malformed message on {}: {}", channel, ex.getMessage());
      return;
    }
    live(e);
  }

  /**
   * Records that {@code jobId} became of interest ({@code on}) or stopped being so; the gate tracks exactly
   * these jobs.
   *
   * @return whether that changed anything
   */
  boolean want(String jobId, boolean on) {
    return on ? gate.track(jobId) : gate.untrack(jobId);
  }

  /** Hands {@code e} to the gate as a live event (duplicates of what passed are dropped while its job is of interest). */
  void live(ProgressEvent e) {
    gate.deliver(e);
  }

  /** Hands a stored event read after a gap to the gate, counted as re-delivered. */
  void stored(ProgressEvent e) {
    redelivered.incrementAndGet();
    live(e);
  }

  /**
   * Delivers the stored latest event of {@code jobId} while it is of interest (counted as re-delivered); a
   * failed read is retried on {@code ops} with backoff, at most {@code maxRetries} times. Runs on the caller's
   * thread (the ops thread).
   */
  void redeliver(String jobId, int attempt, int maxRetries, ScheduledExecutorService ops, BooleanSupplier closed) {
    if (closed.getAsBoolean() || !wanted.contains(jobId)) {
      return;
    }
    try {
      ProgressEvent e = store.readLatest(jobId);
      if (e != null) {
        stored(e);
      }
    } catch (RuntimeException e) {
      log.debug("redis: re-delivery of job {} failed (attempt {}): {}", jobId, attempt + 1, e.getMessage());
      if (attempt < maxRetries) {
        long delay = Retry.backoffMillis(attempt, settings.backoffMin().toMillis(), settings.backoffMax().toMillis());
        try {
          ops.schedule(() -> redeliver(jobId, attempt + 1, maxRetries, ops, closed), delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
          // closed meanwhile
        }
      }
    }
  }

  /** Adds {@code jobsOfInterest}, {@code received}, {@code malformed}, {@code duplicatesDropped}, {@code redelivered}. */
  void putStats(Map<String, Object> m) {
    m.put("jobsOfInterest", wanted.size());
    m.put("received", received.get());
    m.put("malformed", malformed.get());
    m.put("duplicatesDropped", gate.duplicates());
    m.put("redelivered", redelivered.get());
  }
}
