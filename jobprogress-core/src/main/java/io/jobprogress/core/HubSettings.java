package io.jobprogress.core;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Limits and timings of a {@link JobProgressHub}: the protocol's limits (connections, subscriptions,
 * inbound rates), token timers, sync and batching, with generous defaults for legitimate use (see
 * {@code docs/operations.md} for the table). The transport's own settings (frame size, send queue, slow
 * consumers, idle timeout) belong to the transport ({@code TransportSettings} in jobprogress-jakarta-ws). Immutable and thread-safe; build with
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
   * The defaults overridden by environment variables (table in {@code docs/operations.md}), e.g.
   * {@code JP_MAX_CONNECTIONS_PER_USER}; see {@link #from(ConfigSource)}.
   *
   * @throws ConfigException naming the variable and its allowed range when a value is bad
   */
  public static HubSettings fromEnvironment(Map<String, String> env) {
    return from(ConfigSource.of(env));
  }

  /**
   * The defaults overridden by the {@code JP_*} hub settings of {@code config} (unset or blank: the default).
   * The transport's own settings (frame size, send queue, timeouts) are read by the transport.
   *
   * @throws ConfigException naming the variable and its allowed range when a value is bad
   */
  public static HubSettings from(ConfigSource config) {
    HubSettings d = defaults();
    int max = Integer.MAX_VALUE;
    Duration none = Duration.ZERO;
    Duration ms = Duration.ofMillis(1);
    Builder b = builder()
        .maxConnections(config.integer("JP_MAX_CONNECTIONS", d.maxConnections, 1, max))
        .maxConnectionsPerUser(config.integer("JP_MAX_CONNECTIONS_PER_USER", d.maxConnectionsPerUser, 1, max))
        .maxSubscriptionsPerConnection(config.integer("JP_MAX_SUBSCRIPTIONS_PER_CONNECTION",
            d.maxSubscriptionsPerConnection, 1, max))
        .messagesPerSecond(config.positiveDecimal("JP_MESSAGES_PER_SECOND", d.messagesPerSecond, MAX_RATE))
        .messageBurst(config.integer("JP_MESSAGE_BURST", d.messageBurst, 1, max))
        .userMessagesPerSecond(config.positiveDecimal("JP_USER_MESSAGES_PER_SECOND", d.userMessagesPerSecond,
            MAX_RATE))
        .floodCloseAfter(config.integer("JP_FLOOD_CLOSE_AFTER", d.floodCloseAfter, 1, max))
        .tokenExpiryWarning(config.millis("JP_TOKEN_EXPIRY_WARNING_MS", d.tokenExpiryWarning, none,
            ConfigSource.UNBOUNDED))
        .tokenExpiryGrace(config.millis("JP_TOKEN_EXPIRY_GRACE_MS", d.tokenExpiryGrace, none,
            ConfigSource.UNBOUNDED))
        // v1.1 resume, sync and batching
        .syncWindow(config.millis("JP_SYNC_WINDOW_MS", d.syncWindow, ms, ConfigSource.UNBOUNDED))
        .syncMaxJobs(config.integer("JP_SYNC_MAX_JOBS", d.syncMaxJobs, 1, max));
    Duration maxBatch = config.millis("JP_MAX_BATCH_WINDOW_MS", d.maxBatchWindow,
        Duration.ofMillis(MIN_BATCH_WINDOW_MS), ConfigSource.UNBOUNDED);
    Duration batch = config.millis("JP_BATCH_WINDOW_MS", d.batchWindow, Duration.ofMillis(MIN_BATCH_WINDOW_MS),
        maxBatch);
    if (batch.compareTo(maxBatch) > 0) { // only the default can get here: a given value was checked above
      throw new ConfigException("JP_BATCH_WINDOW_MS", "JP_BATCH_WINDOW_MS (default " + batch.toMillis()
          + ") must be <= JP_MAX_BATCH_WINDOW_MS (" + maxBatch.toMillis() + "): set it too");
    }
    return b.maxBatchWindow(maxBatch).batchWindow(batch).build();
  }

  /** The largest rate {@code JP_MESSAGES_PER_SECOND} and {@code JP_USER_MESSAGES_PER_SECOND} take. */
  private static final double MAX_RATE = 1_000_000;

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
