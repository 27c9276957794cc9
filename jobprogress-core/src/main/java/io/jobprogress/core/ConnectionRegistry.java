package io.jobprogress.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Tracks the connections on this instance: which connections each user has and which connections
 * subscribe to each job. Add is O(the user's connections), subscribe and unsubscribe O(the job's
 * subscribers), remove O(the connection's subscriptions times their subscribers); finding a job's
 * subscribers is one map lookup and allocates nothing ({@link #subscriberArray}), and never scans other
 * connections.
 *
 * <p>A connection is any {@code C} with a fixed user ({@code userOf}), told apart by its {@code equals}: the
 * hub registers its {@link HubSession}s (identity), so the array a delivery walks already holds each
 * subscriber's session and outbox; tests and benchmarks register transport connections
 * ({@link #ofConnections}).
 *
 * <p>Thread-safe. The first and last connection of a user and the first and last subscriber of a job are
 * reported to the {@link InterestListener} (the hub passes them on to the broadcaster) while the change is
 * applied, so hints for one id arrive in order; the listener must not block.
 */
final class ConnectionRegistry<C> {

  /** Receives first/last hints; see {@link Broadcaster#interest}. */
  @FunctionalInterface
  public interface InterestListener {
    /** The first (true) or last (false) connection of a user or subscriber of a job on this instance. */
    void interest(Broadcaster.Scope scope, String id, boolean interested);
  }

  /** The outcome of {@link #subscribe}. */
  public enum SubscribeResult {
    /** Now subscribed. */
    ADDED,
    /** Was subscribed already; nothing changed. */
    ALREADY,
    /** The connection is not registered (closed). */
    NOT_REGISTERED
  }

  // All three maps are written by any thread (opening, inbound, closing) inside compute() on the entry,
  // which is the lock for that key's value; reads take no lock and see a weakly consistent view. Every
  // value is immutable and replaced whole on each change: byUser and jobsOf hold immutable sets (a user
  // has at most maxPerUser connections and a connection few subscriptions: a one-element set is 24 bytes
  // where a concurrent set is ~200, per connection); byJob holds arrays, copied on each change (O(its
  // subscribers)), because every delivered event reads one: a delivery walks one array, where a
  // concurrent set cost an iterator, the set's map and its table, each a likely cache miss with a
  // thousand connections' state in between (docs/benchmarks.md, "Load results on a tenth machine").
  // lock order (nested compute calls): byUser before jobsOf (add), jobsOf before byJob (subscribe), never back
  private final ConcurrentHashMap<String, Set<C>> byUser = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, C[]> byJob = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<C, Set<String>> jobsOf = new ConcurrentHashMap<>();
  // called inside those compute() calls (so hints for one id arrive in order): must not block
  private final InterestListener interest;

  private final Function<C, String> userOf;
  private final IntFunction<C[]> newArray;
  private final C[] none;

  /**
   * A registry of connections of type {@code C}: the hub registers its {@link HubSession}s, so a delivery
   * finds each subscriber's session in the job's array without another lookup.
   *
   * @param userOf the user a connection belongs to (fixed for its lifetime)
   * @param newArray makes the arrays of a job's subscribers
   * @param interest receives the first/last hints
   */
  ConnectionRegistry(Function<C, String> userOf, IntFunction<C[]> newArray, InterestListener interest) {
    this.userOf = userOf;
    this.newArray = newArray;
    this.none = newArray.apply(0);
    this.interest = interest;
  }

  /** A registry of transport connections reporting interest changes to {@code interest} (tests, benchmarks). */
  public static ConnectionRegistry<ClientConnection> ofConnections(InterestListener interest) {
    return new ConnectionRegistry<>(ClientConnection::userId, ClientConnection[]::new, interest);
  }

  /** A registry of transport connections reporting interest changes to nobody (tests, benchmarks). */
  public static ConnectionRegistry<ClientConnection> ofConnections() {
    return ofConnections((scope, id, interested) -> {});
  }

  /**
   * Registers {@code conn} unless its user already holds {@code maxPerUser} connections.
   *
   * @return whether it was added
   */
  public boolean add(C conn, int maxPerUser) {
    boolean[] added = {false};
    byUser.compute(userOf.apply(conn), (user, set) -> {
      if (set == null) {
        set = Set.of();
        interest.interest(Broadcaster.Scope.USER, user, true);
      }
      if (set.size() < maxPerUser && !set.contains(conn)) {
        set = plus(set, conn);
        added[0] = true;
        jobsOf.put(conn, Set.of());
      }
      if (set.isEmpty()) {
        interest.interest(Broadcaster.Scope.USER, user, false);
        return null;
      }
      return set;
    });
    return added[0];
  }

  /**
   * Unregisters {@code conn} and all its subscriptions. Idempotent.
   *
   * @return whether it was registered (only one of concurrent calls sees true)
   */
  public boolean remove(C conn) {
    Set<String> jobs = jobsOf.remove(conn);
    if (jobs == null) {
      return false;
    }
    for (String jobId : jobs) {
      removeSubscriber(jobId, conn);
    }
    byUser.computeIfPresent(userOf.apply(conn), (user, set) -> {
      Set<C> left = minus(set, conn);
      if (left.isEmpty()) {
        interest.interest(Broadcaster.Scope.USER, user, false);
        return null;
      }
      return left;
    });
    return true;
  }

  /**
   * Subscribes {@code conn} to {@code jobId}. The per-connection subscription limit is the hub's to
   * enforce: it must answer {@code subscription_limit} before it sends anything for the job.
   */
  public SubscribeResult subscribe(C conn, String jobId) {
    SubscribeResult[] result = {SubscribeResult.NOT_REGISTERED};
    jobsOf.computeIfPresent(conn, (c, jobs) -> {
      if (jobs.contains(jobId)) {
        result[0] = SubscribeResult.ALREADY;
        return jobs;
      } else {
        byJob.compute(jobId, (id, subs) -> {
          if (subs == null) {
            interest.interest(Broadcaster.Scope.JOB, id, true);
            C[] one = newArray.apply(1);
            one[0] = c;
            return one;
          }
          C[] more = Arrays.copyOf(subs, subs.length + 1);
          more[subs.length] = c; // not there yet: jobsOf, under whose lock this runs, said so
          return more;
        });
        result[0] = SubscribeResult.ADDED;
        return plus(jobs, jobId);
      }
    });
    return result[0];
  }

  /** Unsubscribes {@code conn} from {@code jobId}; returns whether it was subscribed. */
  public boolean unsubscribe(C conn, String jobId) {
    boolean[] removed = {false};
    jobsOf.computeIfPresent(conn, (c, jobs) -> {
      if (!jobs.contains(jobId)) {
        return jobs;
      }
      removed[0] = true;
      removeSubscriber(jobId, c);
      return minus(jobs, jobId);
    });
    return removed[0];
  }

  private void removeSubscriber(String jobId, C conn) {
    byJob.computeIfPresent(jobId, (id, subs) -> {
      int at = indexOf(subs, conn);
      if (at < 0) {
        return subs;
      }
      if (subs.length == 1) {
        interest.interest(Broadcaster.Scope.JOB, id, false);
        return null;
      }
      C[] rest = newArray.apply(subs.length - 1);
      System.arraycopy(subs, 0, rest, 0, at);
      System.arraycopy(subs, at + 1, rest, at, rest.length - at);
      return rest;
    });
  }

  /** The connections subscribed to {@code jobId} (an immutable snapshot); empty if none. */
  public Set<C> subscribers(String jobId) {
    C[] subs = byJob.get(jobId);
    return subs == null ? Set.of() : Set.copyOf(Arrays.asList(subs));
  }

  /**
   * The connections subscribed to {@code jobId}, for the hub's delivery loop: the registry's own immutable
   * snapshot, shared, so it must not be written to; empty if none. No allocation, one array to walk.
   */
  C[] subscriberArray(String jobId) {
    C[] subs = byJob.get(jobId);
    return subs == null ? none : subs;
  }

  /** How many connections subscribe to {@code jobId}. */
  public int subscriberCount(String jobId) {
    C[] subs = byJob.get(jobId);
    return subs == null ? 0 : subs.length;
  }

  /** The connections of {@code userId} (an immutable snapshot); empty if none. */
  public Set<C> connectionsOf(String userId) {
    Set<C> set = byUser.get(userId);
    return set == null ? Set.of() : set;
  }

  /** Every registered connection: a live, weakly consistent view. */
  public Collection<C> all() {
    return Collections.unmodifiableSet(jobsOf.keySet());
  }

  /** The jobs {@code conn} subscribes to (an immutable snapshot); empty when not registered. */
  public Set<String> subscriptionsOf(C conn) {
    Set<String> jobs = jobsOf.get(conn);
    return jobs == null ? Set.of() : jobs;
  }

  /** How many jobs {@code conn} subscribes to; 0 when not registered. */
  public int subscriptionCount(C conn) {
    Set<String> jobs = jobsOf.get(conn);
    return jobs == null ? 0 : jobs.size();
  }

  /** Jobs with at least one subscriber on this instance (a copy). */
  public Set<String> subscribedJobs() {
    return Set.copyOf(byJob.keySet());
  }

  /** Whether no connection and no subscription is registered. */
  public boolean isEmpty() {
    return jobsOf.isEmpty() && byUser.isEmpty() && byJob.isEmpty();
  }

  private static <C> int indexOf(C[] subs, C conn) {
    for (int i = 0; i < subs.length; i++) {
      if (subs[i].equals(conn)) {
        return i;
      }
    }
    return -1;
  }

  /** {@code set} and {@code e}, as a new immutable set ({@code e} not in {@code set}). */
  @SuppressWarnings("unchecked")
  private static <E> Set<E> plus(Set<E> set, E e) {
    Object[] all = set.toArray(new Object[set.size() + 1]);
    all[set.size()] = e;
    return (Set<E>) Set.of(all);
  }

  /** {@code set} without {@code e}, as a new immutable set. */
  @SuppressWarnings("unchecked")
  private static <E> Set<E> minus(Set<E> set, E e) {
    Object[] rest = set.stream().filter(x -> !x.equals(e)).toArray();
    return (Set<E>) Set.of(rest);
  }

  /** Who is connected, in the stats shape of docs/protocol.md. */
  public RegistryStats stats() {
    List<RegistryStats.UserConnections> users = new ArrayList<>();
    int clients = 0;
    for (Map.Entry<String, Set<C>> e : byUser.entrySet()) {
      int n = e.getValue().size();
      if (n > 0) {
        users.add(new RegistryStats.UserConnections(e.getKey(), n));
        clients += n;
      }
    }
    users.sort(Comparator.comparing(RegistryStats.UserConnections::userId));
    return new RegistryStats(users.size(), clients, users);
  }
}
