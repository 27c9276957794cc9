package io.jobprogress.jakarta.ws;

import io.jobprogress.core.ConfigSource;
import io.jobprogress.core.TokenBucket;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Optional: limits WebSocket handshakes per remote address ({@code HttpServletRequest.getRemoteAddr()},
 * which Jakarta WebSocket itself does not expose portably) with a token bucket, answering HTTP 429 with
 * {@code Retry-After: 1} before the upgrade. The default (50 handshakes/s, burst 200) is generous on
 * purpose: a few hundred users behind one NAT reconnecting together pass. Map it to the endpoint's path in
 * a container that runs filters ahead of its upgrade (Tomcat, Undertow; Jetty with its upgrade filter after
 * this one). Behind a reverse proxy the remote address is the proxy's: let the container resolve
 * {@code X-Forwarded-For} (Tomcat's {@code RemoteIpValve}, Jetty's {@code ForwardedRequestCustomizer}) or
 * limit in the proxy. Requests that are not upgrades pass uncounted.
 *
 * <p>Thread-safe. Memory: one small bucket per address seen recently; once more than 10,000 addresses are
 * held, buckets idle long enough to be full again are dropped (at most one sweep per second).
 */
public final class HandshakeRateFilter extends HttpFilter {
  /** Default sustained handshakes per second per address. */
  public static final double DEFAULT_PER_SECOND = 50;
  /** Default burst of handshakes per address. */
  public static final int DEFAULT_BURST = 200;
  private static final long serialVersionUID = 1L;
  private static final int SWEEP_ABOVE = 10_000;
  private static final Logger log = LoggerFactory.getLogger(HandshakeRateFilter.class);

  private final double perSecond;
  private final int burst;
  private final long idleNanos;
  private final transient Map<String, Entry> buckets = new ConcurrentHashMap<>();
  private transient volatile long lastSweep = System.nanoTime();

  private record Entry(TokenBucket bucket, long[] lastSeen) {}

  /** With the defaults: 50 handshakes/s per address, burst 200. */
  public HandshakeRateFilter() {
    this(DEFAULT_PER_SECOND, DEFAULT_BURST);
  }

  /**
   * @param perSecond sustained handshakes per second per address, positive
   * @param burst handshakes an address may make at once, at least 1
   * @throws IllegalArgumentException naming the bad value
   */
  public HandshakeRateFilter(double perSecond, int burst) {
    if (!(perSecond > 0)) {
      throw new IllegalArgumentException("WS_HANDSHAKES_PER_SECOND must be positive, was " + perSecond);
    }
    if (burst < 1) {
      throw new IllegalArgumentException("WS_HANDSHAKE_BURST must be at least 1, was " + burst);
    }
    this.perSecond = perSecond;
    this.burst = burst;
    this.idleNanos = (long) (burst / perSecond * 1e9) + 1_000_000_000L;
  }

  /** Reads {@code WS_HANDSHAKES_PER_SECOND} and {@code WS_HANDSHAKE_BURST}; see {@link #from(ConfigSource)}. */
  public static HandshakeRateFilter fromConfig(Map<String, String> config) {
    return from(ConfigSource.of(config));
  }

  /**
   * Reads {@code WS_HANDSHAKES_PER_SECOND} and {@code WS_HANDSHAKE_BURST}; unset or blank keys keep the defaults.
   *
   * @throws io.jobprogress.core.ConfigException naming the variable and its range when a value is bad
   */
  public static HandshakeRateFilter from(ConfigSource config) {
    return new HandshakeRateFilter(config.positiveDecimal("WS_HANDSHAKES_PER_SECOND", DEFAULT_PER_SECOND, 1_000_000),
        config.integer("WS_HANDSHAKE_BURST", DEFAULT_BURST, 1, Integer.MAX_VALUE));
  }

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
      throws IOException, ServletException {
    if (!"websocket".equalsIgnoreCase(req.getHeader("Upgrade")) || allow(req.getRemoteAddr(), System.nanoTime())) {
      chain.doFilter(req, resp);
      return;
    }
    log.debug("Handshake refused: more than {}/s (burst {}) from {}", perSecond, burst, req.getRemoteAddr());
    resp.setHeader("Retry-After", "1");
    resp.sendError(429);
  }

  boolean allow(String address, long now) {
    Entry e = buckets.computeIfAbsent(String.valueOf(address),
        a -> new Entry(new TokenBucket(perSecond, burst, now), new long[1]));
    e.lastSeen()[0] = now;
    if (buckets.size() > SWEEP_ABOVE && now - lastSweep > 1_000_000_000L) {
      lastSweep = now;
      buckets.values().removeIf(x -> now - x.lastSeen()[0] > idleNanos);
    }
    return e.bucket().tryTake(now);
  }
}
