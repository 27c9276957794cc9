package io.jobprogress.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link SnapshotStore} in this JVM's memory: the zero-config default for a single instance.
 *
 * <p>Keeps each job's snapshot and its last {@code historySize} events; a job untouched for {@code ttl}
 * (default 24 h) is forgotten (swept every 1024 appends). Restarting the JVM loses everything, and a job
 * created afresh gets a new epoch. Thread-safe; appends to one job are serialized, different jobs do not
 * contend.
 */
public final class InMemorySnapshotStore implements SnapshotStore {

  /** Default number of events kept per job. */
  public static final int DEFAULT_HISTORY = 100;

  private final ConcurrentHashMap<String, Job> jobs = new ConcurrentHashMap<>();
  private final int historySize;
  private final Duration ttl;
  private final Clock clock;
  private final AtomicLong appends = new AtomicLong();

  private static final class Job {
    final String epoch = UUID.randomUUID().toString().substring(0, 8);
    final ArrayDeque<ProgressEvent> history = new ArrayDeque<>();
    volatile ProgressEvent latest;
    volatile long touchedMillis;
  }

  /** A store keeping 100 events per job for 24 hours. */
  public InMemorySnapshotStore() {
    this(DEFAULT_HISTORY, Duration.ofHours(24), Clock.systemUTC());
  }

  /**
   * @param historySize events kept per job, at least 1
   * @param ttl how long an untouched job is kept, positive
   * @param clock time source for the ttl
   */
  public InMemorySnapshotStore(int historySize, Duration ttl, Clock clock) {
    if (historySize < 1) {
      throw new IllegalArgumentException("historySize must be >= 1, was " + historySize);
    }
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive, was " + ttl);
    }
    this.historySize = historySize;
    this.ttl = ttl;
    this.clock = clock;
  }

  @Override
  public ProgressEvent append(ProgressEvent event) {
    if ((appends.incrementAndGet() & 1023) == 0) {
      sweep();
    }
    ProgressEvent[] stored = new ProgressEvent[1];
    jobs.compute(event.jobId(), (id, job) -> {
      Job j = job != null && !expired(job) ? job : new Job();
      ProgressEvent prev = j.latest;
      if (prev != null && prev.isTerminal() && !event.isTerminal()) {
        throw new StaleEventException("job " + id + " is already " + prev.status().wireName()
            + "; a " + event.status().wireName() + " update may not follow it");
      }
      long seq = prev == null ? 1 : prev.seq() + 1;
      ProgressEvent e = event.withSequence(seq, j.epoch);
      j.latest = e;
      j.history.addLast(e);
      if (j.history.size() > historySize) {
        j.history.removeFirst();
      }
      j.touchedMillis = clock.millis();
      stored[0] = e;
      return j;
    });
    return stored[0];
  }

  @Override
  public Optional<ProgressEvent> latest(String jobId) {
    Job j = jobs.get(jobId);
    if (j == null) {
      return Optional.empty();
    }
    return expired(j) ? Optional.empty() : Optional.ofNullable(j.latest);
  }

  @Override
  public List<ProgressEvent> history(String jobId, long afterSeq) {
    List<ProgressEvent> out = new ArrayList<>();
    jobs.computeIfPresent(jobId, (id, j) -> {
      if (expired(j)) {
        return j; // forgotten, as latest() says; the next append or sweep drops it
      }
      for (ProgressEvent e : j.history) {
        if (e.seq() > afterSeq) {
          out.add(e);
        }
      }
      return j;
    });
    return out;
  }

  @Override
  public List<ProgressEvent> recentJobsOf(String userId, Instant since, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, was " + limit);
    }
    long sinceMillis = since.toEpochMilli();
    List<ProgressEvent> out = new ArrayList<>();
    for (Job j : jobs.values()) {
      ProgressEvent e = j.latest;
      if (e != null && e.userId().equals(userId) && !expired(j) && j.touchedMillis >= sinceMillis) {
        out.add(e);
      }
    }
    out.sort(Comparator.comparing(ProgressEvent::timestamp).reversed());
    return out.size() > limit ? new ArrayList<>(out.subList(0, limit)) : out;
  }

  private boolean expired(Job j) {
    return clock.millis() - j.touchedMillis > ttl.toMillis();
  }

  private void sweep() {
    jobs.entrySet().removeIf(en -> expired(en.getValue()));
  }
}
