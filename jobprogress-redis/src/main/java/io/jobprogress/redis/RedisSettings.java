package io.jobprogress.redis;

import io.jobprogress.core.ConfigException;
import io.jobprogress.core.ConfigSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Configuration of the Redis transport: where Redis is, how keys are named, which subscription mode, how
 * long snapshots live and how the subscriber heartbeats and reconnects.
 *
 * <p>Build with {@link #builder(String)} (defaults below) or {@link #fromEnvironment()}:
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><th>variable</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>REDIS_URL</td><td>redis:// or rediss:// URL (user, password, /db)</td><td>required (unless
 *       REDIS_CLUSTER_NODES is set)</td></tr>
 *   <tr><td>REDIS_CLUSTER_NODES</td><td>{@code host:port,host:port}: seed nodes of a Redis Cluster; switches
 *       on cluster mode (sharded pub/sub, Redis 7+). REDIS_URL, if set, adds its credentials and TLS flag and
 *       is one more seed</td><td>empty</td></tr>
 *   <tr><td>REDIS_KEY_PREFIX</td><td>prefix of channels (and, inside the hash tag, keys)</td><td>empty</td></tr>
 *   <tr><td>REDIS_MODE</td><td>{@code interest} or {@code pattern}</td><td>interest</td></tr>
 *   <tr><td>REDIS_SNAPSHOT_TTL_SECONDS</td><td>lifetime of a job's snapshot, history and seq</td><td>86400</td></tr>
 *   <tr><td>REDIS_HISTORY_MAXLEN</td><td>approximate events kept per job</td><td>100</td></tr>
 *   <tr><td>REDIS_PUBLISH_RETRY_WINDOW_MS</td><td>how long a publish keeps trying while Redis is
 *       unreachable (0: one try plus one on a fresh connection)</td><td>30000</td></tr>
 *   <tr><td>REDIS_PUBLISH_BUFFER_MAX</td><td>events {@code publishAsync} holds while Redis is away</td><td>10000</td></tr>
 * </table>
 * Unset or blank variables keep the default; every variable is also listed in {@code docs/operations.md}.
 * Immutable and thread-safe; {@link Builder#build()} validates everything at once.
 */
public final class RedisSettings {

  /** How an instance subscribes; see docs/scaling.md. */
  public enum Mode {
    /** {@code PSUBSCRIBE job:*}: every instance receives every event (v1's behaviour). */
    PATTERN,
    /** {@code SUBSCRIBE job:J} while this instance has a subscriber for J: the default. */
    INTEREST
  }

  private final RedisUrl url;
  private final String keyPrefix;
  private final Mode mode;
  private final Duration snapshotTtl;
  private final int historyMaxLen;
  private final Duration heartbeatInterval;
  private final Duration pongTimeout;
  private final Duration backoffMin;
  private final Duration backoffMax;
  private final int poolSize;
  private final Duration timeout;
  private final Duration publishRetryWindow;
  private final int publishBufferMax;
  private final int userJobsMax;
  private final String nodeId;
  private final List<HostAndPortText> clusterNodes;

  private RedisSettings(Builder b) {
    this.url = b.url;
    this.keyPrefix = b.keyPrefix;
    this.mode = b.mode;
    this.snapshotTtl = b.snapshotTtl;
    this.historyMaxLen = b.historyMaxLen;
    this.heartbeatInterval = b.heartbeatInterval;
    this.pongTimeout = b.pongTimeout;
    this.backoffMin = b.backoffMin;
    this.backoffMax = b.backoffMax;
    this.poolSize = b.poolSize;
    this.timeout = b.timeout;
    this.publishRetryWindow = b.publishRetryWindow;
    this.publishBufferMax = b.publishBufferMax;
    this.userJobsMax = b.userJobsMax;
    this.nodeId = b.nodeId;
    this.clusterNodes = List.copyOf(b.clusterNodes);
  }

  /** Settings for the Redis at {@code url} with every default. @throws IllegalArgumentException for a bad URL */
  public static Builder builder(String url) {
    return new Builder(RedisUrl.parse(url));
  }

  /** Settings from the process environment; see the table above. */
  public static RedisSettings fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /** Settings from {@code env}; see the table above. @throws ConfigException naming the variable */
  public static RedisSettings fromEnvironment(Map<String, String> env) {
    return from(ConfigSource.of(env));
  }

  /**
   * Settings from {@code config}'s {@code REDIS_*} variables (table above; unset or blank: the default).
   *
   * @throws ConfigException naming the variable and what it allows (never showing the URL's password)
   */
  public static RedisSettings from(ConfigSource config) {
    String url = config.secret("REDIS_URL");
    List<String> nodes = config.list("REDIS_CLUSTER_NODES");
    List<HostAndPortText> seeds = new ArrayList<>();
    for (String node : nodes) {
      try {
        seeds.add(HostAndPortText.parse(node));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("REDIS_CLUSTER_NODES", "redis: REDIS_CLUSTER_NODES: " + e.getMessage());
      }
    }
    if (url == null && !seeds.isEmpty()) {
      url = "redis://" + seeds.get(0);
    }
    Builder b;
    try {
      b = builder(url == null ? "" : url);
    } catch (IllegalArgumentException e) { // RedisUrl never shows the password
      throw new ConfigException("REDIS_URL", url == null ? "redis: REDIS_URL is not set"
          : "redis: REDIS_URL: " + e.getMessage().replaceFirst("^redis: ", ""));
    }
    b.clusterNodes.addAll(seeds);
    String prefix = config.string("REDIS_KEY_PREFIX", b.keyPrefix);
    if (!validPrefix(prefix)) {
      throw new ConfigException("REDIS_KEY_PREFIX", "REDIS_KEY_PREFIX " + PREFIX_RULE + ", was \"" + prefix + '"');
    }
    return b.keyPrefix(prefix)
        .mode(config.choice("REDIS_MODE", b.mode, Mode.class))
        .snapshotTtl(config.seconds("REDIS_SNAPSHOT_TTL_SECONDS", b.snapshotTtl, Duration.ofSeconds(1),
            ConfigSource.UNBOUNDED))
        .historyMaxLen(config.integer("REDIS_HISTORY_MAXLEN", b.historyMaxLen, 1, Integer.MAX_VALUE))
        .publishRetryWindow(config.millis("REDIS_PUBLISH_RETRY_WINDOW_MS", b.publishRetryWindow, Duration.ZERO,
            ConfigSource.UNBOUNDED))
        .publishBufferMax(config.integer("REDIS_PUBLISH_BUFFER_MAX", b.publishBufferMax, 1, Integer.MAX_VALUE))
        .buildFrom("REDIS_CLUSTER_NODES");
  }

  private static final String PREFIX_RULE = "must be up to 64 characters of [A-Za-z0-9._:-]";

  private static boolean validPrefix(String prefix) {
    return prefix.length() <= 64 && prefix.matches("[A-Za-z0-9._:-]*");
  }

  /** Where Redis is. */
  public RedisUrl url() { return url; }

  /** Prefix of channel names; default empty, so channels are {@code job:{jobId}} as in v1 (docs/scaling.md). */
  public String keyPrefix() { return keyPrefix; }

  /** Subscription mode; default {@link Mode#INTEREST}. */
  public Mode mode() { return mode; }

  /** Lifetime of a job's snapshot, history and seq after its last update; default 24 h. */
  public Duration snapshotTtl() { return snapshotTtl; }

  /** Approximate number of events kept per job ({@code XADD MAXLEN ~}); default 100. */
  public int historyMaxLen() { return historyMaxLen; }

  /** How often the subscriber pings Redis; default 2 s. */
  public Duration heartbeatInterval() { return heartbeatInterval; }

  /** How long a ping may stay unanswered before the connection counts as lost; default 3 s. */
  public Duration pongTimeout() { return pongTimeout; }

  /** First reconnect delay; doubles per failed attempt (with jitter); default 100 ms. */
  public Duration backoffMin() { return backoffMin; }

  /** Longest reconnect delay; default 10 s. */
  public Duration backoffMax() { return backoffMax; }

  /** Maximum pooled connections for publishing and reads; default 16. */
  public int poolSize() { return poolSize; }

  /** Connect and command timeout; default 2 s. */
  public Duration timeout() { return timeout; }

  /**
   * How long {@code publish} and {@code publishAsync} keep trying (exponential backoff with jitter) while
   * Redis is unreachable, slow or failing over, before the error reaches the caller; default 30 s, long
   * enough for a Redis restart or failover. Zero: one try, plus one on a fresh connection.
   */
  public Duration publishRetryWindow() { return publishRetryWindow; }

  /**
   * How many events {@code publishAsync} holds (queued or being retried) at most; default 10,000. When
   * full, a non-terminal update replaces its job's newest queued non-terminal one (latest wins; the
   * replaced future fails with {@link PublishSupersededException}); see {@link RedisPublisher}.
   */
  public int publishBufferMax() { return publishBufferMax; }

  /** How many recent jobs are indexed per user for {@code sync}; default 1,000. */
  public int userJobsMax() { return userJobsMax; }

  /** This node's id, carried in every envelope it publishes; default random. */
  public String nodeId() { return nodeId; }

  /**
   * Whether Redis is a Redis Cluster ({@link Builder#clusterNodes}): then keys are reached through Jedis's
   * cluster client and events travel by sharded pub/sub ({@code SPUBLISH}/{@code SSUBSCRIBE}, Redis 7+).
   */
  public boolean cluster() { return !clusterNodes.isEmpty(); }

  /**
   * The cluster's seed nodes ({@link #url()}'s host first), as {@code host:port}; empty unless
   * {@link #cluster()}. The cluster client discovers the other nodes from them.
   */
  public List<String> clusterNodes() {
    List<String> out = new ArrayList<>();
    for (HostAndPortText n : clusterNodes) {
      out.add(n.toString());
    }
    return out;
  }

  /** The seeds for Jedis (url's host first, no duplicates). */
  java.util.Set<redis.clients.jedis.HostAndPort> clusterSeeds() {
    java.util.Set<redis.clients.jedis.HostAndPort> seeds = new java.util.LinkedHashSet<>();
    seeds.add(url.hostAndPort());
    for (HostAndPortText n : clusterNodes) {
      seeds.add(new redis.clients.jedis.HostAndPort(n.host(), n.port()));
    }
    return seeds;
  }

  /** One {@code host:port} of {@code REDIS_CLUSTER_NODES}, validated. */
  record HostAndPortText(String host, int port) {
    static HostAndPortText parse(String text) {
      String t = text.strip();
      int colon = t.lastIndexOf(':');
      if (colon <= 0 || colon == t.length() - 1 || t.contains("/") || t.contains("@")) {
        throw new IllegalArgumentException("expected host:port, was \"" + shorten(t) + '"');
      }
      int port;
      try {
        port = Integer.parseInt(t.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("port must be a number in \"" + shorten(t) + '"');
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be 1..65535, was " + port + " in \"" + shorten(t) + '"');
      }
      String host = t.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      return new HostAndPortText(host, port);
    }

    private static String shorten(String s) {
      return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    @Override
    public String toString() {
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
  }

  /** Builds {@link RedisSettings}; not thread-safe. */
  public static final class Builder {
    private final RedisUrl url;
    private String keyPrefix = "";
    private Mode mode = Mode.INTEREST;
    private Duration snapshotTtl = Duration.ofHours(24);
    private int historyMaxLen = 100;
    private Duration heartbeatInterval = Duration.ofSeconds(2);
    private Duration pongTimeout = Duration.ofSeconds(3);
    private Duration backoffMin = Duration.ofMillis(100);
    private Duration backoffMax = Duration.ofSeconds(10);
    private int poolSize = 16;
    private Duration timeout = Duration.ofSeconds(2);
    private Duration publishRetryWindow = Duration.ofSeconds(30);
    private int publishBufferMax = 10_000;
    private int userJobsMax = 1_000;
    private String nodeId = UUID.randomUUID().toString().substring(0, 12);
    private final List<HostAndPortText> clusterNodes = new ArrayList<>();

    private Builder(RedisUrl url) {
      this.url = url;
    }

    /** See {@link RedisSettings#keyPrefix()}; up to 64 characters of {@code [A-Za-z0-9._:-]}. */
    public Builder keyPrefix(String v) { keyPrefix = Objects.requireNonNull(v, "keyPrefix"); return this; }

    /** See {@link RedisSettings#mode()}. */
    public Builder mode(Mode v) { mode = Objects.requireNonNull(v, "mode"); return this; }

    /** See {@link RedisSettings#snapshotTtl()}; at least 1 s. */
    public Builder snapshotTtl(Duration v) { snapshotTtl = Objects.requireNonNull(v, "snapshotTtl"); return this; }

    /** See {@link RedisSettings#historyMaxLen()}; at least 1. */
    public Builder historyMaxLen(int v) { historyMaxLen = v; return this; }

    /** See {@link RedisSettings#heartbeatInterval()}. */
    public Builder heartbeatInterval(Duration v) { heartbeatInterval = Objects.requireNonNull(v); return this; }

    /** See {@link RedisSettings#pongTimeout()}. */
    public Builder pongTimeout(Duration v) { pongTimeout = Objects.requireNonNull(v); return this; }

    /** See {@link RedisSettings#backoffMin()} and {@link RedisSettings#backoffMax()}. */
    public Builder backoff(Duration min, Duration max) {
      backoffMin = Objects.requireNonNull(min);
      backoffMax = Objects.requireNonNull(max);
      return this;
    }

    /** See {@link RedisSettings#poolSize()}. */
    public Builder poolSize(int v) { poolSize = v; return this; }

    /** See {@link RedisSettings#timeout()}. */
    public Builder timeout(Duration v) { timeout = Objects.requireNonNull(v); return this; }

    /** See {@link RedisSettings#publishRetryWindow()}; zero or more. */
    public Builder publishRetryWindow(Duration v) {
      publishRetryWindow = Objects.requireNonNull(v, "publishRetryWindow");
      return this;
    }

    /** See {@link RedisSettings#publishBufferMax()}; at least 1. */
    public Builder publishBufferMax(int v) { publishBufferMax = v; return this; }

    /** See {@link RedisSettings#userJobsMax()}; at least 1. */
    public Builder userJobsMax(int v) { userJobsMax = v; return this; }

    /** See {@link RedisSettings#nodeId()}; 1..64 characters of {@code [A-Za-z0-9._:-]}. */
    public Builder nodeId(String v) { nodeId = v; return this; }

    /**
     * Switches on Redis Cluster mode ({@link RedisSettings#cluster()}): {@code nodes} are more seed nodes
     * besides the URL's host, as {@code host:port} (none is fine: the URL's host alone is the seed). The URL
     * still gives credentials and TLS; its database must be 0 and the mode {@link Mode#INTEREST}.
     *
     * @throws IllegalArgumentException for an entry that is not {@code host:port}
     */
    public Builder clusterNodes(String... nodes) {
      clusterNodes.clear();
      clusterNodes.add(new HostAndPortText(url.host(), url.port()));
      for (String n : nodes) {
        try {
          HostAndPortText h = HostAndPortText.parse(Objects.requireNonNull(n, "cluster node"));
          if (!clusterNodes.contains(h)) {
            clusterNodes.add(h);
          }
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("redis: cluster node " + e.getMessage(), e);
        }
      }
      return this;
    }

    private RedisSettings buildFrom(String clusterVariable) {
      if (!clusterNodes.isEmpty()) {
        HostAndPortText first = new HostAndPortText(url.host(), url.port());
        clusterNodes.remove(first);
        clusterNodes.add(0, first);
        try {
          checkCluster();
        } catch (IllegalArgumentException e) {
          throw new ConfigException(clusterVariable, e.getMessage());
        }
      }
      return build();
    }

    private void checkCluster() {
      if (url.database() != 0) {
        throw new IllegalArgumentException("redis: a Redis Cluster has only database 0, but the URL selects /"
            + url.database());
      }
      if (mode == Mode.PATTERN) {
        throw new IllegalArgumentException("redis: mode pattern is not available on a Redis Cluster (sharded"
            + " pub/sub has no patterns); use mode interest");
      }
    }

    /** Validates and builds. @throws IllegalArgumentException naming the first bad setting */
    public RedisSettings build() {
      if (!clusterNodes.isEmpty()) {
        checkCluster();
      }
      if (!validPrefix(keyPrefix)) {
        throw new IllegalArgumentException("redis: keyPrefix " + PREFIX_RULE + ", was \"" + keyPrefix + '"');
      }
      if (snapshotTtl.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("redis: snapshotTtl must be at least 1 s, was " + snapshotTtl);
      }
      if (historyMaxLen < 1) {
        throw new IllegalArgumentException("redis: historyMaxLen must be >= 1, was " + historyMaxLen);
      }
      positive("heartbeatInterval", heartbeatInterval);
      positive("pongTimeout", pongTimeout);
      positive("backoffMin", backoffMin);
      positive("timeout", timeout);
      if (backoffMax.compareTo(backoffMin) < 0) {
        throw new IllegalArgumentException("redis: backoffMax must be >= backoffMin, was " + backoffMax);
      }
      if (poolSize < 1) {
        throw new IllegalArgumentException("redis: poolSize must be >= 1, was " + poolSize);
      }
      if (publishRetryWindow.isNegative()) {
        throw new IllegalArgumentException("redis: publishRetryWindow must be >= 0, was " + publishRetryWindow);
      }
      if (publishBufferMax < 1) {
        throw new IllegalArgumentException("redis: publishBufferMax must be >= 1, was " + publishBufferMax);
      }
      if (userJobsMax < 1) {
        throw new IllegalArgumentException("redis: userJobsMax must be >= 1, was " + userJobsMax);
      }
      if (nodeId == null || nodeId.isEmpty() || nodeId.length() > 64 || !nodeId.matches("[A-Za-z0-9._:-]+")) {
        throw new IllegalArgumentException("redis: nodeId must be 1..64 characters of [A-Za-z0-9._:-], was "
            + (nodeId == null ? "null" : '"' + nodeId + '"'));
      }
      return new RedisSettings(this);
    }

    private static void positive(String name, Duration d) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("redis: " + name + " must be positive, was " + d);
      }
    }
  }
}
