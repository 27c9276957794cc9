package io.jobprogress.jakarta.ws;

import io.jobprogress.core.ConfigSource;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the WebSocket transport itself, as opposed to the hub's protocol limits
 * ({@link io.jobprogress.core.HubSettings}): the largest inbound frame, the outbound queue per connection,
 * and when a slow or silent connection is closed. Given to {@link JobProgressWebSocket.Builder#transport}
 * or read by {@link JobProgressWebSocket.Builder#fromConfig} ({@code JP_MAX_FRAME_BYTES},
 * {@code JP_SEND_QUEUE_CAPACITY}, {@code JP_SLOW_CONSUMER_TIMEOUT_MS}, {@code JP_IDLE_TIMEOUT_MS}; table in
 * {@code docs/operations.md}).
 *
 * <p>Immutable and thread-safe; build with {@link #builder()}, copy with {@link #toBuilder()}.
 */
public final class TransportSettings {
  /** The smallest {@link #maxFrameBytes()}. */
  public static final int MIN_FRAME_BYTES = 256;

  private final int maxFrameBytes;
  private final int sendQueueCapacity;
  private final Duration slowConsumerTimeout;
  private final Duration idleTimeout;

  private TransportSettings(Builder b) {
    maxFrameBytes = b.maxFrameBytes;
    sendQueueCapacity = b.sendQueueCapacity;
    slowConsumerTimeout = b.slowConsumerTimeout;
    idleTimeout = b.idleTimeout;
  }

  /** The defaults. */
  public static TransportSettings defaults() {
    return builder().build();
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The defaults overridden by {@code config}'s {@code JP_MAX_FRAME_BYTES}, {@code JP_SEND_QUEUE_CAPACITY},
   * {@code JP_SLOW_CONSUMER_TIMEOUT_MS} and {@code JP_IDLE_TIMEOUT_MS} (unset or blank: the default).
   *
   * @throws io.jobprogress.core.ConfigException naming the variable and its range when a value is bad
   */
  public static TransportSettings from(ConfigSource config) {
    return from(config, defaults());
  }

  /** Like {@link #from(ConfigSource)}, unset variables keeping {@code d}'s values. */
  static TransportSettings from(ConfigSource config, TransportSettings d) {
    Duration ms = Duration.ofMillis(1);
    return builder()
        .maxFrameBytes(config.integer("JP_MAX_FRAME_BYTES", d.maxFrameBytes, MIN_FRAME_BYTES, Integer.MAX_VALUE))
        .sendQueueCapacity(config.integer("JP_SEND_QUEUE_CAPACITY", d.sendQueueCapacity, 1, Integer.MAX_VALUE))
        .slowConsumerTimeout(config.millis("JP_SLOW_CONSUMER_TIMEOUT_MS", d.slowConsumerTimeout, ms,
            ConfigSource.UNBOUNDED))
        .idleTimeout(config.millis("JP_IDLE_TIMEOUT_MS", d.idleTimeout, ms, ConfigSource.UNBOUNDED))
        .build();
  }

  /** A builder holding these settings. */
  public Builder toBuilder() {
    return builder().maxFrameBytes(maxFrameBytes).sendQueueCapacity(sendQueueCapacity)
        .slowConsumerTimeout(slowConsumerTimeout).idleTimeout(idleTimeout);
  }

  /**
   * Largest inbound text frame in bytes; bigger closes with 1009 {@code message_too_big}. The container's
   * text buffer is set to twice this so the library sees the frame first. Default 65536.
   */
  public int maxFrameBytes() { return maxFrameBytes; }
  /** Frames that may wait per connection before its queue counts as full. Default 256. */
  public int sendQueueCapacity() { return sendQueueCapacity; }
  /**
   * How long a connection's queue may stay full, or one send stay unfinished, before it is closed with
   * 1013 {@code slow_consumer}. Default 10 s.
   */
  public Duration slowConsumerTimeout() { return slowConsumerTimeout; }
  /** A connection with nothing sent or received this long is closed with 1001 {@code idle_timeout}. Default 5 min. */
  public Duration idleTimeout() { return idleTimeout; }

  @Override
  public String toString() {
    return "TransportSettings[maxFrameBytes=" + maxFrameBytes + ", sendQueueCapacity=" + sendQueueCapacity
        + ", slowConsumerTimeout=" + slowConsumerTimeout + ", idleTimeout=" + idleTimeout + "]";
  }

  /** Settings under construction. Not thread-safe. */
  public static final class Builder {
    private int maxFrameBytes = 64 * 1024;
    private int sendQueueCapacity = 256;
    private Duration slowConsumerTimeout = Duration.ofSeconds(10);
    private Duration idleTimeout = Duration.ofMinutes(5);

    private Builder() {}

    /** See {@link TransportSettings#maxFrameBytes()}; at least {@value TransportSettings#MIN_FRAME_BYTES}. */
    public Builder maxFrameBytes(int v) { maxFrameBytes = v; return this; }
    /** See {@link TransportSettings#sendQueueCapacity()}; at least 1. */
    public Builder sendQueueCapacity(int v) { sendQueueCapacity = v; return this; }
    /** See {@link TransportSettings#slowConsumerTimeout()}; positive. */
    public Builder slowConsumerTimeout(Duration v) { slowConsumerTimeout = v; return this; }
    /** See {@link TransportSettings#idleTimeout()}; positive. */
    public Builder idleTimeout(Duration v) { idleTimeout = v; return this; }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException naming the first setting out of range and its value
     */
    public TransportSettings build() {
      if (maxFrameBytes < MIN_FRAME_BYTES) {
        throw new IllegalArgumentException("transport: maxFrameBytes must be >= " + MIN_FRAME_BYTES + ", was "
            + maxFrameBytes);
      }
      if (sendQueueCapacity < 1) {
        throw new IllegalArgumentException("transport: sendQueueCapacity must be >= 1, was " + sendQueueCapacity);
      }
      positive("slowConsumerTimeout", slowConsumerTimeout);
      positive("idleTimeout", idleTimeout);
      return new TransportSettings(this);
    }

    private static void positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("transport: " + name + " must be positive, was " + d);
      }
    }
  }
}
