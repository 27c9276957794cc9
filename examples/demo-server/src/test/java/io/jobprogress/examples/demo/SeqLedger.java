package io.jobprogress.examples.demo;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What one test client knows about its jobs across all its connections, and the v1.1 ordering rules of
 * the contract ("Resume and catch-up") checked frame by frame:
 * <ul>
 *   <li>within an epoch seqs strictly increase: no duplicate, never back, never back to an older epoch;
 *   <li>a skipped range (seq jumps by more than one, or a new epoch starting above seq 1) is allowed only in
 *       the first progress frame of the job after a {@code subscribed} whose {@code recovered} is not true;
 *   <li>a {@code subscribed} answering a subscribe with {@code sinceSeq}/{@code epoch} carries {@code recovered};
 *   <li>progress arrives only for a job subscribed on the current connection.
 * </ul>
 * One ledger per client, fed by that client's one thread; {@link #latest}, {@link #violations} and the
 * counters may be read from any thread.
 */
final class SeqLedger {
  /** What a broken rule is about; the tests assert per kind. */
  enum Kind { ORDER, GAP, RECOVERED_MISSING, UNSOLICITED }

  /** The newest event a client holds for a job. */
  record Seen(String epoch, long seq, String status) {
    @Override
    public String toString() {
      return shortEpoch(epoch) + ":" + seq + " " + status;
    }
  }

  /** One broken rule, with the client, job and recent frames in its text. */
  record Violation(Kind kind, String text) {}

  private static final Seen PLAIN = new Seen("-", 0, "-");
  private static final int TRAIL = 14;

  private final String client;
  private final Map<String, Seen> latest = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> epochs = new HashMap<>();
  private final Map<String, Deque<String>> trails = new HashMap<>();
  private final Map<String, Seen> pending = new HashMap<>();
  private final Set<String> subscribed = new HashSet<>();
  private final Set<String> gapAllowed = new HashSet<>();
  private final Set<String> answering = new HashSet<>();
  private String connection = "c0";
  private int connections;
  final List<Violation> violations = new CopyOnWriteArrayList<>();
  final AtomicInteger resumes = new AtomicInteger();
  final AtomicInteger recoveredTrue = new AtomicInteger();
  final AtomicInteger recoveredFalse = new AtomicInteger();
  final AtomicInteger recoveredAbsent = new AtomicInteger();
  final AtomicInteger unasked = new AtomicInteger();

  SeqLedger(String client) {
    this.client = client;
  }

  /** A new connection to {@code instance} begins: nothing is subscribed on it yet. */
  void connectionStarted(String instance) {
    connections++;
    connection = "c" + connections + "@" + instance;
    pending.clear();
    subscribed.clear();
    gapAllowed.clear();
    answering.clear();
  }

  /** A subscribe for {@code jobId} is about to be sent; returns the resume point, or null for a plain one. */
  Seen subscribing(String jobId) {
    Seen since = latest.get(jobId);
    pending.put(jobId, since == null ? PLAIN : since);
    trail(jobId, "sub" + (since == null ? "" : " since " + shortEpoch(since.epoch()) + ":" + since.seq()));
    return since;
  }

  /** The server refused the subscribe of {@code jobId}; true when one was pending (the client retries). */
  boolean refused(String jobId, String code) {
    trail(jobId, "refused " + code);
    return pending.remove(jobId) != null;
  }

  /**
   * A {@code subscribed} frame; {@code recovered} null when the field is absent. One the client did not
   * ask for is accepted for a job already subscribed on this connection (a server may announce a skipped
   * range that way) and refused otherwise.
   */
  void subscribed(String jobId, Boolean recovered) {
    trail(jobId, "subscribed recovered=" + (recovered == null ? "absent" : recovered));
    Seen sent = pending.remove(jobId);
    if (sent == null && !subscribed.contains(jobId)) {
      violate(Kind.UNSOLICITED, jobId, "subscribed without a pending subscribe");
      return;
    }
    answering.add(jobId);
    if (sent == null) {
      unasked.incrementAndGet();
      sent = PLAIN;
    }
    if (sent != PLAIN) {
      resumes.incrementAndGet();
      (recovered == null ? recoveredAbsent : recovered ? recoveredTrue : recoveredFalse).incrementAndGet();
      if (recovered == null) {
        violate(Kind.RECOVERED_MISSING, jobId, "subscribed answering sinceSeq=" + sent.seq() + " epoch="
            + shortEpoch(sent.epoch()) + " has no \"recovered\" field");
      }
    }
    subscribed.add(jobId);
    if (Boolean.TRUE.equals(recovered)) {
      gapAllowed.remove(jobId);
    } else {
      gapAllowed.add(jobId);
    }
  }

  /** A progress frame (or one inside a batch). */
  void progress(String jobId, String epoch, long seq, String status) {
    trail(jobId, shortEpoch(epoch) + ":" + seq + " " + status);
    if (!subscribed.contains(jobId)) {
      violate(Kind.UNSOLICITED, jobId, "progress for a job not subscribed on this connection");
    }
    boolean flagged = gapAllowed.remove(jobId);
    String where = answering.remove(jobId) ? " (first frame after subscribed)" : " (live)";
    Seen prev = latest.get(jobId);
    Set<String> known = epochs.computeIfAbsent(jobId, k -> new HashSet<>());
    if (prev != null && prev.epoch().equals(epoch)) {
      if (seq <= prev.seq()) {
        violate(Kind.ORDER, jobId, (seq == prev.seq() ? "duplicate seq " : "seq went back to ") + seq
            + " after " + prev.seq() + " in epoch " + shortEpoch(epoch) + where);
        return;
      }
      if (seq > prev.seq() + 1 && !flagged) {
        violate(Kind.GAP, jobId, "seqs " + (prev.seq() + 1) + ".." + (seq - 1) + " of epoch " + shortEpoch(epoch)
            + " skipped without a subscribed recovered:false before" + where);
      }
    } else if (prev != null && known.contains(epoch)) {
      violate(Kind.ORDER, jobId, "went back to the older epoch " + shortEpoch(epoch) + " (seq " + seq + ") after "
          + prev + where);
      return;
    } else if (prev != null && seq != 1 && !flagged) {
      violate(Kind.GAP, jobId, "new epoch " + shortEpoch(epoch) + " first seen at seq " + seq + ": 1.." + (seq - 1)
          + " skipped without a subscribed recovered:false before" + where);
    }
    known.add(epoch);
    latest.put(jobId, new Seen(epoch, seq, status));
  }

  /** A frame that should not have come at all (e.g. a batch without opt-in, progress without seq). */
  void unexpected(String jobId, String what) {
    violate(Kind.UNSOLICITED, jobId, what);
  }

  /** The newest event held for {@code jobId}, or null. */
  Seen latest(String jobId) {
    return latest.get(jobId);
  }

  /** How many connections this client opened. */
  int connections() {
    return connections;
  }

  private void violate(Kind kind, String jobId, String what) {
    violations.add(new Violation(kind, "client " + client + " job " + jobId + " (" + connection + "): " + what
        + "; recent: " + trails.getOrDefault(jobId, new ArrayDeque<>())));
  }

  private void trail(String jobId, String entry) {
    Deque<String> t = trails.computeIfAbsent(jobId, k -> new ArrayDeque<>());
    t.addLast(connection + " " + entry);
    while (t.size() > TRAIL) {
      t.removeFirst();
    }
  }

  static String shortEpoch(String epoch) {
    return epoch == null ? "null" : epoch.length() <= 6 ? epoch : epoch.substring(0, 6);
  }
}
