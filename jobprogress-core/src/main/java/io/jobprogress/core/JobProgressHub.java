package io.jobprogress.core;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The heart of a server instance: speaks the protocol with every connection, keeps the registry of
 * connections and subscriptions ({@code ConnectionRegistry}, package-private), and delivers each event from the {@link Broadcaster} to the connections of
 * the event's user that subscribed to its job, and to no one else.
 *
 * <p><b>Lifecycle.</b> Build once per instance with {@link #builder()}; the broadcaster is started at
 * build. A transport authenticates with {@link #authenticate}, then calls {@link #open} per connection
 * and feeds the returned {@link HubSession}. The hub owns shutdown: a transport registers what it started
 * with {@link #closeWith} (the Jakarta WebSocket endpoint does so when built), and {@link #close()} then
 * (1) refuses new connections (closed at once with 1012 {@link CloseReason#RESTART}), (2) closes every
 * connection with 1012 after the frames already queued for it (a waiting batch included), (3) closes the
 * registered transports, which wait, bounded, for those queues to drain and stop their threads, (4) closes
 * the broadcaster and (5) stops the hub's timer thread. Clients reconnect with jitter.
 *
 * <p><b>Ordering (v1.1).</b> Every progress frame to a connection passes its {@link ProgressOutbox}: per
 * job, seqs only rise within an epoch; a skipped seq is filled from the store's history; opted-in connections
 * get {@code batch} frames. Resume ({@code sinceSeq}/{@code epoch}) and {@code sync} are answered here too.
 *
 * <p><b>Threads.</b> Thread-safe. Delivery ({@link Broadcaster.Listener}) runs on the broadcaster's thread
 * (the Redis subscriber thread, or the publishing thread in memory) and never blocks on the network
 * (connections queue); it may wait for a connection's outbox lock while that connection's subscribe reads
 * the store, and a gap fill reads the store once. Inbound frames run on the transport's thread for the
 * connection. Token-expiry timers and batch flushes run on one daemon thread, {@code jobprogress-timers},
 * started with the first timer and stopped by {@link #close()}. {@link #publishJobUpdate} blocks for one
 * round trip to the broadcaster's store (with Redis, up to {@code REDIS_PUBLISH_RETRY_WINDOW_MS} during an
 * outage). {@link #close()} runs on the caller's thread and blocks until the transports drained (bounded
 * by their slow-consumer timeout); call it from a host's shutdown path, not from a container callback.
 * docs/operations.md, "Threads", lists every thread the library starts.
 */
public final class JobProgressHub implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JobProgressHub.class);
  private static final long VIOLATION_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final Broadcaster broadcaster;
  private final TokenVerifier verifier;
  private final JobAuthorizer authorizer;
  private final boolean ownerAuthorizer;
  private final HubSettings settings;
  private final Clock clock;
  // thread-safe itself; holds the sessions, so delivery walks a job's sessions with no lookup per connection
  private final ConnectionRegistry<HubSession> registry;
  private final TokenTimers tokenTimers; // thread-safe itself; owns the jobprogress-timers thread
  // one bucket per user with a connection here; read and written by any inbound thread (concurrent map)
  private final ConcurrentHashMap<String, TokenBucket> userBuckets = new ConcurrentHashMap<>();
  private final AtomicLong framesDelivered = new AtomicLong();
  private final AtomicLong eventsReceived = new AtomicLong();
  private final AtomicLong rateLimited = new AtomicLong();
  private final AtomicLong refusedAtCapacity = new AtomicLong();
  // connections holding one of the settings' maxConnections slots: registered ones, and ones being opened
  private final AtomicInteger slotsTaken = new AtomicInteger();
  // held for the whole of close(), so a second caller returns only once the first one is done
  private final Object closeLock = new Object();
  // what close() closes after the connections (transports); guarded by closeLock
  private final List<AutoCloseable> closeHooks = new ArrayList<>();
  // written under closeLock, read by any thread (volatile): open() refuses once it is set
  private volatile boolean closed;

  private JobProgressHub(Builder b) {
    this.broadcaster = b.broadcaster != null ? b.broadcaster : new InMemoryBroadcaster();
    this.verifier = Objects.requireNonNull(b.verifier, "hub: a TokenVerifier is required");
    this.authorizer = b.authorizer != null ? b.authorizer : JobAuthorizer.byStoredOwner(broadcaster.store());
    this.ownerAuthorizer = b.authorizer == null;
    this.settings = b.settings;
    this.clock = b.clock;
    this.registry = new ConnectionRegistry<>(HubSession::userId, HubSession[]::new, broadcaster::interest);
    this.tokenTimers = new TokenTimers(settings, clock);
    broadcaster.start(this::deliver);
  }

  /** Starts a hub; only the token verifier is required. */
  public static Builder builder() {
    return new Builder();
  }

  // ------------------------------------------------------------ transport side

  /**
   * Verifies a token presented at the handshake (or in a first {@code auth} frame).
   *
   * @throws TokenRejectedException with the close reason to use
   */
  public AuthenticatedUser authenticate(String token) throws TokenRejectedException {
    return verifier.verify(token);
  }

  /**
   * Opens a session for an authenticated connection: registers it, then sends {@code connected} (so a
   * client told it is connected is already counted and reachable, and {@code connected} is its first
   * frame), and arms the token-expiry timers. Refused without a {@code connected} frame, the returned
   * session closed: with {@link CloseReason#TRY_LATER} when this instance already holds
   * {@link HubSettings#maxConnections()} connections, with {@link CloseReason#CONNECTION_LIMIT} when the
   * user already holds {@link HubSettings#maxConnectionsPerUser()}.
   */
  public HubSession open(ClientConnection conn, AuthenticatedUser user) {
    if (!conn.userId().equals(user.userId())) {
      throw new IllegalArgumentException("hub: connection user " + conn.userId()
          + " differs from authenticated user " + user.userId());
    }
    HubSession s = new HubSession(this, conn, user.expiresAt(), newConnectionBucket());
    if (closed) {
      conn.close(CloseReason.RESTART);
      s.onClose();
      return s;
    }
    if (slotsTaken.incrementAndGet() > settings.maxConnections()) {
      slotsTaken.decrementAndGet();
      return refuseAtCapacity(s);
    }
    // add() checks the per-user limit atomically, also for two connections of one user opening at once
    if (!registry.add(s, settings.maxConnectionsPerUser())) {
      slotsTaken.decrementAndGet();
      return refuseOverLimit(s);
    }
    if (closed) {
      // close() ran between the check above and add(): its sweep may have missed this connection
      if (registry.remove(s)) {
        slotsTaken.decrementAndGet();
      }
      conn.close(CloseReason.RESTART);
      s.onClose();
      return s;
    }
    conn.send(OutboundFrame.control(
        ProtocolCodec.connected(user.userId(), conn.id(), user.expiresAt(), clock.instant())));
    userBuckets.computeIfAbsent(user.userId(), this::newUserBucket);
    tokenTimers.arm(s, user.expiresAt());
    log.info("Client authenticated: {}", user.userId());
    return s;
  }

  private HubSession refuseAtCapacity(HubSession s) {
    // debug, not info: a connection storm must not turn into a log storm; stats() counts them
    refusedAtCapacity.incrementAndGet();
    log.debug("Client refused: this instance already holds {} connections", settings.maxConnections());
    s.connection().close(CloseReason.TRY_LATER);
    s.onClose();
    return s;
  }

  private HubSession refuseOverLimit(HubSession s) {
    log.info("Client refused: user {} already holds {} connections", s.userId(), settings.maxConnectionsPerUser());
    s.connection().close(CloseReason.CONNECTION_LIMIT);
    s.onClose();
    return s;
  }

  private TokenBucket newUserBucket(String userId) {
    return new TokenBucket(settings.userMessagesPerSecond(), settings.userMessagesPerSecond() * 2, System.nanoTime());
  }

  private TokenBucket newConnectionBucket() {
    return new TokenBucket(settings.messagesPerSecond(), settings.messageBurst(), System.nanoTime());
  }

  void handle(HubSession s, String text) {
    long now = System.nanoTime();
    if (!allowed(s, now)) {
      return;
    }
    ClientFrame frame = ProtocolCodec.decode(text);
    try {
      dispatch(s, frame);
    } catch (RuntimeException e) {
      // A failing store or broadcaster (Redis away) must not escape to the container, which would close
      // the connection: the client gets an error frame and the connection keeps working.
      log.warn("Handling a {} frame of user {} failed", frame.getClass().getSimpleName(), s.userId(), e);
      String jobId = null;
      if (frame instanceof ClientFrame.Subscribe sub) {
        jobId = sub.jobId();
        registry.unsubscribe(s, jobId);
        s.outbox().unsubscribed(jobId);
      }
      error(s, ErrorCode.INTERNAL, jobId);
    }
  }

  private void dispatch(HubSession s, ClientFrame frame) {
    if (frame instanceof ClientFrame.Subscribe sub) {
      subscribe(s, sub);
    } else if (frame instanceof ClientFrame.Unsubscribe unsub) {
      registry.unsubscribe(s, unsub.jobId());
      s.outbox().unsubscribed(unsub.jobId());
      send(s, ProtocolCodec.unsubscribed(unsub.jobId(), clock.instant()));
      log.debug("Client unsubscribed from job {}", unsub.jobId());
    } else if (frame instanceof ClientFrame.Ping) {
      send(s, ProtocolCodec.pong(clock.instant()));
    } else if (frame instanceof ClientFrame.Sync) {
      sync(s);
    } else if (frame instanceof ClientFrame.Options options) {
      options(s, options);
    } else if (frame instanceof ClientFrame.Refresh refresh) {
      refresh(s, refresh.token());
    } else if (frame instanceof ClientFrame.Invalid invalid) {
      log.debug("Invalid frame from {}: {}", s.userId(), invalid.detail());
      error(s, invalid.error(), null);
    }
  }

  private boolean allowed(HubSession s, long now) {
    // computeIfAbsent, not get: a bucket dropped by a closing sibling connection must not lift the limit
    boolean ok = s.takeToken(now) && userBuckets.computeIfAbsent(s.userId(), this::newUserBucket).tryTake(now);
    if (ok) {
      return true;
    }
    rateLimited.incrementAndGet();
    int violations = s.recordViolation(now, VIOLATION_WINDOW_NANOS);
    if (violations >= settings.floodCloseAfter()) {
      log.info("Closing flooding connection of user {} ({} frames over the rate limit)", s.userId(), violations);
      s.connection().close(CloseReason.RATE_LIMITED);
      s.onClose();
    } else {
      error(s, ErrorCode.RATE_LIMITED, null);
    }
    return false;
  }

  private void subscribe(HubSession s, ClientFrame.Subscribe sub) {
    String jobId = sub.jobId();
    boolean may;
    // With the default authorizer the owner check and the first read are one store read, not two
    // (in Redis mode each is a round trip on the connection's inbound thread).
    ProgressEvent owned = null;
    try {
      if (ownerAuthorizer) {
        owned = broadcaster.store().latest(jobId).filter(e -> e.userId().equals(s.userId())).orElse(null);
        may = owned != null;
      } else {
        may = authorizer.mayWatch(s.userId(), jobId);
      }
    } catch (RuntimeException e) {
      log.warn("JobAuthorizer failed for job {}", jobId, e);
      error(s, ErrorCode.INTERNAL, jobId);
      return;
    }
    if (!may) {
      log.debug("Subscription of user {} to job {} refused", s.userId(), jobId);
      error(s, ErrorCode.FORBIDDEN, jobId);
      return;
    }
    // Only this session's inbound thread subscribes for it, so the count cannot grow in between.
    int count = registry.subscriptionCount(s);
    if (count >= settings.maxSubscriptionsPerConnection() && !registry.subscriptionsOf(s).contains(jobId)) {
      error(s, ErrorCode.SUBSCRIPTION_LIMIT, jobId);
      return;
    }
    // Under the outbox's lock from "subscribed" to the last read, so a live event (which needs that lock)
    // can only follow the replay or snapshot. "subscribed", then the replay or snapshot, then registration;
    // an event stored before the registration took effect is caught by the second read, and anything the
    // second read skipped is filled from history (ProgressOutbox): no gap, no duplicate, no going back.
    ProgressOutbox out = s.outbox();
    synchronized (out) {
      ProgressEvent latest = ownerAuthorizer ? owned : latestOwned(s, jobId);
      List<ProgressEvent> replay = sub.resumes() ? replayable(s, sub, latest) : null;
      if (replay != null) {
        send(s, ProtocolCodec.subscribed(jobId, Boolean.TRUE, clock.instant()));
        out.subscribedAt(jobId, sub.epoch(), sub.sinceSeq());
        out.offerReplay(replay);
      } else {
        send(s, ProtocolCodec.subscribed(jobId, sub.resumes() ? Boolean.FALSE : null, clock.instant()));
        out.subscribedFresh(jobId);
        if (latest != null) {
          out.offerLive(latest, null);
        }
      }
      registry.subscribe(s, jobId);
      ProgressEvent again = latestOwned(s, jobId);
      if (again != null) {
        out.offerLive(again, null);
      }
    }
    log.debug("Client subscribed to job {} (resume: {})", jobId, sub.resumes());
  }

  /**
   * The job's stored latest event if it is the session user's, else null; also null when the store cannot
   * be read (Redis away): the subscription still goes ahead, and the broadcaster re-delivers the latest state
   * of every job of interest once its transport is back, so the client is not left without it.
   */
  private ProgressEvent latestOwned(HubSession s, String jobId) {
    ProgressEvent latest;
    try {
      latest = broadcaster.store().latest(jobId).orElse(null);
    } catch (RuntimeException e) {
      log.warn("Latest state of job {} unreadable; subscribing without it until the broadcaster re-delivers it",
          jobId, e);
      return null;
    }
    return latest != null && latest.userId().equals(s.userId()) ? latest : null;
  }

  /**
   * The events after {@code sub.sinceSeq()} when the store holds every one of them in the client's epoch
   * (possibly none: the client is up to date); null when it cannot recover the client exactly.
   */
  private List<ProgressEvent> replayable(HubSession s, ClientFrame.Subscribe sub, ProgressEvent latest) {
    long since = sub.sinceSeq();
    if (latest == null || !sub.epoch().equals(latest.epoch()) || since > latest.seq()) {
      return null;
    }
    if (since == latest.seq()) {
      // up to date: nothing after since needs to be held, so no history read (which could fail, e.g. Redis
      // restarting, and turn an exact resume into "recovered":false plus a duplicate of the client's latest)
      return List.of();
    }
    List<ProgressEvent> history;
    try {
      history = broadcaster.store().history(sub.jobId(), since);
    } catch (RuntimeException e) {
      log.warn("History of job {} unreadable; resuming without replay", sub.jobId(), e);
      return null;
    }
    long want = since + 1;
    for (ProgressEvent e : history) {
      if (e.seq() != want || !sub.epoch().equals(e.epoch()) || !e.userId().equals(s.userId())) {
        return null;
      }
      want++;
    }
    return want - 1 >= latest.seq() ? history : null;
  }

  /** v1.1 sync: the latest event of each recently changed job of the user, then {@code synced}. */
  private void sync(HubSession s) {
    Instant since = clock.instant().minus(settings.syncWindow());
    List<ProgressEvent> recent;
    try {
      recent = broadcaster.store().recentJobsOf(s.userId(), since, settings.syncMaxJobs());
    } catch (RuntimeException e) {
      log.warn("Sync for user {} failed: the snapshot store could not list recent jobs", s.userId(), e);
      error(s, ErrorCode.INTERNAL, null);
      return;
    }
    ProgressOutbox out = s.outbox();
    int sent = 0;
    synchronized (out) {
      for (ProgressEvent e : recent) {
        if (e.userId().equals(s.userId()) && (ownerAuthorizer || maySafely(s.userId(), e.jobId()))
            && out.offerSync(e)) {
          sent++;
        }
      }
      out.flushNow();
      send(s, ProtocolCodec.synced(sent, clock.instant()));
    }
    log.debug("Sync for user {}: {} jobs", s.userId(), sent);
  }

  private boolean maySafely(String userId, String jobId) {
    try {
      return authorizer.mayWatch(userId, jobId);
    } catch (RuntimeException e) {
      log.warn("JobAuthorizer failed for job {}", jobId, e);
      return false;
    }
  }

  /** v1.1 extension: opt in to (or out of) batch frames. */
  private void options(HubSession s, ClientFrame.Options o) {
    long window = 0;
    if (o.batch()) {
      window = o.batchWindowMs() != null ? o.batchWindowMs() : settings.batchWindow().toMillis();
      if (window < HubSettings.MIN_BATCH_WINDOW_MS || window > settings.maxBatchWindow().toMillis()) {
        log.debug("Options of user {} refused: batchWindowMs {} out of range", s.userId(), window);
        error(s, ErrorCode.INVALID_OPTIONS, null);
        return;
      }
    }
    synchronized (s.outbox()) {
      s.outbox().batching(window);
      send(s, ProtocolCodec.options(o.batch(), window, clock.instant()));
    }
  }

  private void refresh(HubSession s, String token) {
    AuthenticatedUser user;
    try {
      user = verifier.verify(token);
    } catch (TokenRejectedException e) {
      log.info("Token refresh refused for user {}: {}", s.userId(), e.getMessage());
      error(s, ErrorCode.REFRESH_REFUSED, null);
      return;
    }
    if (!user.userId().equals(s.userId())) {
      log.info("Token refresh refused for user {}: token for another subject", s.userId());
      error(s, ErrorCode.REFRESH_REFUSED, null);
      return;
    }
    tokenTimers.arm(s, user.expiresAt());
    send(s, ProtocolCodec.tokenRefreshed(user.expiresAt(), clock.instant()));
    log.debug("Token refreshed for user {}", s.userId());
  }

  /** Called by a new {@link HubSession}: its outbox. */
  ProgressOutbox track(HubSession s) {
    return new ProgressOutbox(s.connection(), broadcaster.store(), clock, tokenTimers::later);
  }

  void closed(HubSession s) {
    if (registry.remove(s)) {
      slotsTaken.decrementAndGet();
    }
    s.outbox().close();
    if (registry.connectionsOf(s.userId()).isEmpty()) {
      userBuckets.remove(s.userId());
    }
    log.info("Client disconnected: {}", s.userId());
  }

  private void send(HubSession s, String text) {
    s.connection().send(OutboundFrame.control(text));
  }

  private void error(HubSession s, ErrorCode code, String jobId) {
    send(s, ProtocolCodec.error(code, jobId, clock.instant()));
  }

  // ------------------------------------------------------------ delivery

  private void deliver(ProgressEvent event) {
    eventsReceived.incrementAndGet();
    OutboundFrame frame = null;
    int sent = 0;
    for (HubSession s : registry.subscriberArray(event.jobId())) {
      if (s.userId().equals(event.userId())) {
        if (frame == null) {
          frame = ProtocolCodec.progressFrame(event);
        }
        if (offerSafely(s, event, frame)) {
          sent++;
        }
      }
    }
    if (sent > 0) {
      framesDelivered.addAndGet(sent);
      if (log.isDebugEnabled()) {
        log.debug("Broadcast to {}/{} clients for user {}", sent,
            registry.connectionsOf(event.userId()).size(), event.userId());
      }
    }
  }

  /** Offers a live event to a session's outbox (seq filter, gap fill, batching), containing a throwing send. */
  private static boolean offerSafely(HubSession s, ProgressEvent event, OutboundFrame frame) {
    try {
      return s.outbox().offerLive(event, frame);
    } catch (RuntimeException e) {
      log.warn("Dropped a frame for connection {} of user {}: its send threw", s.connection().id(), s.userId(), e);
      return false;
    }
  }

  // ------------------------------------------------------------ server side

  /**
   * Publishes a progress update through the broadcaster to every instance, returning it with its seq.
   *
   * @throws SnapshotStore.StaleEventException when the job already reached a terminal state
   */
  public ProgressEvent publishJobUpdate(ProgressEvent event) {
    ProgressEvent stored = broadcaster.publish(event);
    log.debug("Published to job:{}", stored.jobId());
    return stored;
  }

  /**
   * The one stats entry point: who is connected, the broadcaster's health (for Redis: {@code connected},
   * {@code reconnectingSince} while disconnected, {@code reconnects}, ...) and the hub's counters. The
   * stats endpoint writes {@link HubStats#toJson()} or {@link HubStats#countsJson()} from it.
   */
  public HubStats stats() {
    return new HubStats(registry.stats(), broadcaster.stats(), eventsReceived.get(), framesDelivered.get(),
        rateLimited.get(), refusedAtCapacity.get());
  }

  /** The ids of {@code userId}'s open connections on this instance (as sent in {@code connected}). */
  public Set<String> connectionIdsOf(String userId) {
    return registry.connectionsOf(userId).stream().map(s -> s.connection().id()).collect(Collectors.toUnmodifiableSet());
  }

  /** How many connections on this instance subscribe to {@code jobId}. */
  public int subscriberCount(String jobId) {
    return registry.subscriberCount(jobId);
  }

  /**
   * The latest event of {@code jobId} if {@code userId} owns it and the authorizer agrees: the polling
   * endpoint's answer. Empty for unknown jobs and other users' jobs alike.
   */
  public Optional<ProgressEvent> latestFor(String userId, String jobId) {
    if (!Ids.isValid(jobId)) {
      return Optional.empty();
    }
    return broadcaster.store().latest(jobId)
        .filter(e -> e.userId().equals(userId) && authorizer.mayWatch(userId, jobId));
  }

  /** The registry of this instance, for tests in this package; hosts read {@link #stats()}. */
  ConnectionRegistry<HubSession> registry() {
    return registry;
  }

  /** The settings this hub enforces; transports read their limits from here. */
  public HubSettings settings() {
    return settings;
  }

  /**
   * Registers {@code resource} (a transport, or anything a transport started for this hub) to be closed by
   * {@link #close()} after every connection was told to close and before the broadcaster; resources close
   * in reverse order of registration. A resource's {@code close} should wait, bounded, for its connections'
   * queued frames to leave and stop its threads. Registered after the hub closed: closed at once, here.
   */
  public void closeWith(AutoCloseable resource) {
    Objects.requireNonNull(resource, "hub: closeWith needs a resource");
    synchronized (closeLock) {
      if (!closed) {
        closeHooks.add(resource);
        return;
      }
    }
    closeQuietly(resource);
  }

  /**
   * Shuts this hub down: new connections are refused with {@link CloseReason#RESTART}; every connection
   * gets what waits for a batch, then its queued frames, then 1012 {@code restart}; then the resources
   * registered with {@link #closeWith} are closed (the WebSocket endpoint waits for the queues to drain,
   * bounded by its slow-consumer timeout, and stops its threads), then the broadcaster, then the timer
   * thread. Blocks the caller until all of that is done. Idempotent and safe from any thread: a second
   * caller waits for the first to finish.
   */
  @Override
  public void close() {
    synchronized (closeLock) {
      if (closed) {
        return;
      }
      closed = true;
      for (HubSession s : registry.all()) {
        ClientConnection c = s.connection();
        try {
          s.outbox().flushNow();
          c.close(CloseReason.RESTART);
        } catch (RuntimeException e) {
          log.warn("Closing connection {} of user {} failed", c.id(), c.userId(), e);
        }
        if (registry.remove(s)) {
          slotsTaken.decrementAndGet();
        }
      }
      for (int i = closeHooks.size() - 1; i >= 0; i--) {
        closeQuietly(closeHooks.get(i));
      }
      closeHooks.clear();
      broadcaster.close();
      tokenTimers.shutdown();
    }
  }

  private static void closeQuietly(AutoCloseable resource) {
    try {
      resource.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("Closing {} with the hub failed", resource, e);
    }
  }

  /** Settings of a hub. Not thread-safe. */
  public static final class Builder {
    private Broadcaster broadcaster;
    private TokenVerifier verifier;
    private JobAuthorizer authorizer;
    private HubSettings settings = HubSettings.defaults();
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The broadcaster (default: a new {@link InMemoryBroadcaster}). The hub starts and closes it. */
    public Builder broadcaster(Broadcaster broadcaster) {
      this.broadcaster = broadcaster;
      return this;
    }

    /** How tokens are verified. Required. */
    public Builder tokenVerifier(TokenVerifier verifier) {
      this.verifier = verifier;
      return this;
    }

    /** Who may watch which job (default: {@link JobAuthorizer#byStoredOwner}). */
    public Builder jobAuthorizer(JobAuthorizer authorizer) {
      this.authorizer = authorizer;
      return this;
    }

    /** Limits and timings (default: {@link HubSettings#defaults()}). */
    public Builder settings(HubSettings settings) {
      this.settings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /** Time source for frame timestamps and token expiry (default: system UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the hub and starts its broadcaster.
     *
     * @throws NullPointerException when no token verifier was given
     */
    public JobProgressHub build() {
      return new JobProgressHub(this);
    }
  }
}
