package io.jobprogress.core;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Limits and timings of a {@link JobProgressHub} and the transports that serve it, with generous defaults
 * for legitimate use (see {@code docs/security.md} for the table). Immutable and thread-safe; build with
 * {@link #builder()}, copy with {@link #toBuilder()}.
 */
public final class HubSettings {
  private final int maxConnections;
  private final int maxConnectionsPerUser;
  private final int maxSubscriptionsPerConnection;
  private final double messagesPerSecond;
  private final int messageBurst;
  private final double userMessagesPerSecond;
  private final int floodCloseAfter;
  private final int maxFrameBytes;
  private final int sendQueueCapacity;
  private final Duration slowConsumerTimeout;
  private final Duration idleTimeout;
  private final Duration tokenExpiryWarning;
  private final Duration tokenExpiryGrace;
  // v1.1 resume, sync and batching
  private final Duration syncWindow;
  private final int syncMaxJobs;
  private final Duration batchWindow;
  private final Duration maxBatchWindow;

  private HubSettings(Builder b) {
    maxConnections = b.maxConnections;
    maxConnectionsPerUser = b.maxConnectionsPerUser;
    maxSubscriptionsPerConnection = b.maxSubscriptionsPerConnection;
    messagesPerSecond = b.messagesPerSecond;
    messageBurst = b.messageBurst;
    userMessagesPerSecond = b.userMessagesPerSecond;
    floodCloseAfter = b.floodCloseAfter;
    maxFrameBytes = b.maxFrameBytes;
    sendQueueCapacity = b.sendQueueCapacity;
    slowConsumerTimeout = b.slowConsumerTimeout;
    idleTimeout = b.idleTimeout;
    tokenExpiryWarning = b.tokenExpiryWarning;
    tokenExpiryGrace = b.tokenExpiryGrace;
    // v1.1 resume, sync and batching
    syncWindow = b.syncWindow;
    syncMaxJobs = b.syncMaxJobs;
    batchWindow = b.batchWindow;
    maxBatchWindow = b.maxBatchWindow;
  }

  /** The defaults. */
  public static HubSettings defaults() {
    return builder().build();
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxConnections = maxConnections;
    b.maxConnectionsPerUser = maxConnectionsPerUser;
    b.maxSubscriptionsPerConnection = maxSubscriptionsPerConnection;
    b.messagesPerSecond = messagesPerSecond;
    b.messageBurst = messageBurst;
    b.userMessagesPerSecond = userMessagesPerSecond;
    b.floodCloseAfter = floodCloseAfter;
    b.maxFrameBytes = maxFrameBytes;
    b.sendQueueCapacity = sendQueueCapacity;
    b.slowConsumerTimeout = slowConsumerTimeout;
    b.idleTimeout = idleTimeout;
    b.tokenExpiryWarning = tokenExpiryWarning;
    b.tokenExpiryGrace = tokenExpiryGrace;
    // v1.1 resume, sync and batching
    b.syncWindow = syncWindow;
    b.syncMaxJobs = syncMaxJobs;
    b.batchWindow = batchWindow;
    b.maxBatchWindow = maxBatchWindow;
    return b;
  }

  /**
   * The defaults overridden by environment variables (names in {@code docs/operations.md}), e.g.
   * {@code JP_MAX_CONNECTIONS_PER_USER}. Unset variables keep the default.
   *
   * @throws IllegalArgumentException naming the variable when a value does not parse or is out of range
   */
  public static HubSettings fromEnvironment(Map<String, String> env) {
    Builder b = builder();
    intVar(env, "JP_MAX_CONNECTIONS", b::maxConnections);
    intVar(env, "JP_MAX_CONNECTIONS_PER_USER", b::maxConnectionsPerUser);
    intVar(env, "JP_MAX_SUBSCRIPTIONS_PER_CONNECTION", b::maxSubscriptionsPerConnection);
    var(env, "JP_MESSAGES_PER_SECOND", Double::parseDouble, b::messagesPerSecond);
    intVar(env, "JP_MESSAGE_BURST", b::messageBurst);
    var(env, "JP_USER_MESSAGES_PER_SECOND", Double::parseDouble, b::userMessagesPerSecond);
    intVar(env, "JP_FLOOD_CLOSE_AFTER", b::floodCloseAfter);
    intVar(env, "JP_MAX_FRAME_BYTES", b::maxFrameBytes);
    intVar(env, "JP_SEND_QUEUE_CAPACITY", b::sendQueueCapacity);
    durationVar(env, "JP_SLOW_CONSUMER_TIMEOUT_MS", b::slowConsumerTimeout);
    durationVar(env, "JP_IDLE_TIMEOUT_MS", b::idleTimeout);
    durationVar(env, "JP_TOKEN_EXPIRY_WARNING_MS", b::tokenExpiryWarning);
    durationVar(env, "JP_TOKEN_EXPIRY_GRACE_MS", b::tokenExpiryGrace);
    // v1.1 resume, sync and batching
    durationVar(env, "JP_SYNC_WINDOW_MS", b::syncWindow);
    intVar(env, "JP_SYNC_MAX_JOBS", b::syncMaxJobs);
    durationVar(env, "JP_BATCH_WINDOW_MS", b::batchWindow);
    durationVar(env, "JP_MAX_BATCH_WINDOW_MS", b::maxBatchWindow);
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("settings from environment: " + e.getMessage(), e);
    }
  }

  private static void intVar(Map<String, String> env, String name, Function<Integer, Builder> set) {
    var(env, name, Integer::parseInt, set);
  }

  private static void durationVar(Map<String, String> env, String name, Function<Duration, Builder> set) {
    var(env, name, v -> Duration.ofMillis(Long.parseLong(v)), set);
  }

  private static <T> void var(Map<String, String> env, String name, Function<String, T> parse,
      Function<T, Builder> set) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return;
    }
    T parsed;
    try {
      parsed = parse.apply(v.trim());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(name + " must be a number, was \"" + v + "\"", e);
    }
    try {
      // defaults are valid, so the first variable that makes the settings invalid is the one to name
      set.apply(parsed).build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + "=\"" + v + "\" is out of range: " + e.getMessage(), e);
    }
  }

  /**
   * Connections one instance holds in total; past it a new connection is closed with {@code try_later}
   * (1013) before any frame. Default 10,000.
   */
  public int maxConnections() { return maxConnections; }
  /** Connections one user may hold on one instance; more are refused with {@code connection_limit}. Default 10. */
  public int maxConnectionsPerUser() { return maxConnectionsPerUser; }
  /** Subscriptions one connection may hold. Default 200. */
  public int maxSubscriptionsPerConnection() { return maxSubscriptionsPerConnection; }
  /** Sustained inbound frames per second per connection. Default 20. */
  public double messagesPerSecond() { return messagesPerSecond; }
  /** Inbound burst per connection. Default 40. */
  public int messageBurst() { return messageBurst; }
  /** Sustained inbound frames per second per user, across all their connections. Default 200. */
  public double userMessagesPerSecond() { return userMessagesPerSecond; }
  /** Over-limit frames a connection may send before it is closed with {@code rate_limited}. Default 100. */
  public int floodCloseAfter() { return floodCloseAfter; }
  /** Largest inbound frame in bytes; bigger closes with 1009. Default 65536. */
  public int maxFrameBytes() { return maxFrameBytes; }
  /** Frames waiting per connection before the queue counts as full. Default 256. */
  public int sendQueueCapacity() { return sendQueueCapacity; }
  /** How long a connection's queue may stay full before it is closed as a slow consumer. Default 10 s. */
  public Duration slowConsumerTimeout() { return slowConsumerTimeout; }
  /** A connection silent this long is closed. Default 5 min. */
  public Duration idleTimeout() { return idleTimeout; }
  /** How long before a token's expiry {@code token_expiring} is sent. Default 60 s. */
  public Duration tokenExpiryWarning() { return tokenExpiryWarning; }
  /** How long after a token's expiry the connection is closed with {@code token_expired}. Default 5 s. */
  public Duration tokenExpiryGrace() { return tokenExpiryGrace; }

  // ---- v1.1 resume, sync and batching

  /** How far back {@code sync} looks: jobs whose last update is older are not sent. Default 24 h. */
  public Duration syncWindow() { return syncWindow; }
  /** Most progress frames one {@code sync} sends (the most recently updated jobs first). Default 200. */
  public int syncMaxJobs() { return syncMaxJobs; }
  /** Flush window of a connection that opted in to batching without naming one. Default 100 ms. */
  public Duration batchWindow() { return batchWindow; }
  /** Longest flush window a client may ask for; the shortest is {@value #MIN_BATCH_WINDOW_MS} ms. Default 1 s. */
  public Duration maxBatchWindow() { return maxBatchWindow; }

  /** Shortest flush window a client may ask for, in milliseconds. */
  public static final long MIN_BATCH_WINDOW_MS = 10;

  /** Settings under construction. Not thread-safe. */
  public static final class Builder {
    private int maxConnections = 10_000;
    private int maxConnectionsPerUser = 10;
    private int maxSubscriptionsPerConnection = 200;
    private double messagesPerSecond = 20;
    private int messageBurst = 40;
    private double userMessagesPerSecond = 200;
    private int floodCloseAfter = 100;
    private int maxFrameBytes = 64 * 1024;
    private int sendQueueCapacity = 256;
    private Duration slowConsumerTimeout = Duration.ofSeconds(10);
    private Duration idleTimeout = Duration.ofMinutes(5);
    private Duration tokenExpiryWarning = Duration.ofSeconds(60);
    private Duration tokenExpiryGrace = Duration.ofSeconds(5);
    // v1.1 resume, sync and batching
    private Duration syncWindow = Duration.ofHours(24);
    private int syncMaxJobs = 200;
    private Duration batchWindow = Duration.ofMillis(100);
    private Duration maxBatchWindow = Duration.ofSeconds(1);

    private Builder() {}

    /** See {@link HubSettings#maxConnections()}. */
    public Builder maxConnections(int v) { maxConnections = v; return this; }
    /** See {@link HubSettings#maxConnectionsPerUser()}. */
    public Builder maxConnectionsPerUser(int v) { maxConnectionsPerUser = v; return this; }
    /** See {@link HubSettings#maxSubscriptionsPerConnection()}. */
    public Builder maxSubscriptionsPerConnection(int v) { maxSubscriptionsPerConnection = v; return this; }
    /** See {@link HubSettings#messagesPerSecond()}. */
    public Builder messagesPerSecond(double v) { messagesPerSecond = v; return this; }
    /** See {@link HubSettings#messageBurst()}. */
    public Builder messageBurst(int v) { messageBurst = v; return this; }
    /** See {@link HubSettings#userMessagesPerSecond()}. */
    public Builder userMessagesPerSecond(double v) { userMessagesPerSecond = v; return this; }
    /** See {@link HubSettings#floodCloseAfter()}. */
    public Builder floodCloseAfter(int v) { floodCloseAfter = v; return this; }
    /** See {@link HubSettings#maxFrameBytes()}. */
    public Builder maxFrameBytes(int v) { maxFrameBytes = v; return this; }
    /** See {@link HubSettings#sendQueueCapacity()}. */
    public Builder sendQueueCapacity(int v) { sendQueueCapacity = v; return this; }
    /** See {@link HubSettings#slowConsumerTimeout()}. */
    public Builder slowConsumerTimeout(Duration v) { slowConsumerTimeout = v; return this; }
    /** See {@link HubSettings#idleTimeout()}. */
    public Builder idleTimeout(Duration v) { idleTimeout = v; return this; }
    /** See {@link HubSettings#tokenExpiryWarning()}. */
    public Builder tokenExpiryWarning(Duration v) { tokenExpiryWarning = v; return this; }
    /** See {@link HubSettings#tokenExpiryGrace()}. */
    public Builder tokenExpiryGrace(Duration v) { tokenExpiryGrace = v; return this; }

    // ---- v1.1 resume, sync and batching
    /** See {@link HubSettings#syncWindow()}. */
    public Builder syncWindow(Duration v) { syncWindow = v; return this; }
    /** See {@link HubSettings#syncMaxJobs()}. */
    public Builder syncMaxJobs(int v) { syncMaxJobs = v; return this; }
    /** See {@link HubSettings#batchWindow()}. */
    public Builder batchWindow(Duration v) { batchWindow = v; return this; }
    /** See {@link HubSettings#maxBatchWindow()}. */
    public Builder maxBatchWindow(Duration v) { maxBatchWindow = v; return this; }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException naming the first setting out of range and its value
     */
    public HubSettings build() {
      positive("maxConnections", maxConnections);
      positive("maxConnectionsPerUser", maxConnectionsPerUser);
      positive("maxSubscriptionsPerConnection", maxSubscriptionsPerConnection);
      positive("messagesPerSecond", messagesPerSecond);
      positive("messageBurst", messageBurst);
      positive("userMessagesPerSecond", userMessagesPerSecond);
      positive("floodCloseAfter", floodCloseAfter);
      if (maxFrameBytes < 256) {
        throw new IllegalArgumentException("maxFrameBytes must be >= 256, was " + maxFrameBytes);
      }
      positive("sendQueueCapacity", sendQueueCapacity);
      positive("slowConsumerTimeout", slowConsumerTimeout);
      positive("idleTimeout", idleTimeout);
      notNegative("tokenExpiryWarning", tokenExpiryWarning);
      notNegative("tokenExpiryGrace", tokenExpiryGrace);
      // v1.1 resume, sync and batching
      positive("syncWindow", syncWindow);
      positive("syncMaxJobs", syncMaxJobs);
      positive("maxBatchWindow", maxBatchWindow);
      positive("batchWindow", batchWindow);
      if (batchWindow.toMillis() < MIN_BATCH_WINDOW_MS || batchWindow.compareTo(maxBatchWindow) > 0) {
        throw new IllegalArgumentException("batchWindow must be " + MIN_BATCH_WINDOW_MS + " ms..maxBatchWindow ("
            + maxBatchWindow.toMillis() + " ms), was " + batchWindow.toMillis() + " ms");
      }
      return new HubSettings(this);
    }

    private static void positive(String name, int v) {
      if (v <= 0) {
        throw new IllegalArgumentException(name + " must be positive, was " + v);
      }
    }

    private static void positive(String name, double v) {
      if (!(v > 0)) {
        throw new IllegalArgumentException(name + " must be positive, was " + v);
      }
    }

    private static void positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + d);
      }
    }

    private static void notNegative(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative, was " + d);
      }
    }
  }
}
