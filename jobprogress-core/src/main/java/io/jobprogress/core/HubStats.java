package io.jobprogress.core;

import com.google.gson.Gson;
import java.util.Map;
import java.util.Objects;

/**
 * One snapshot of a hub's state for monitoring, from {@link JobProgressHub#stats()}: who is connected,
 * the broadcaster's health, and the hub's counters. It also writes the two bodies of the stats endpoint
 * ({@link #toJson()} and {@link #countsJson()}). Immutable and thread-safe.
 *
 * @param connections who is connected to this instance
 * @param broadcaster the broadcaster's health and counters ({@link Broadcaster#stats()}), e.g.
 *     {@code {"type":"redis","connected":true}}
 * @param eventsReceived events the broadcaster delivered to this hub
 * @param framesDelivered progress frames handed to connections
 * @param rateLimitedFrames inbound frames dropped by the message rate limits
 * @param connectionsRefusedAtCapacity connections refused because the instance was full
 */
public record HubStats(RegistryStats connections, Map<String, Object> broadcaster, long eventsReceived,
    long framesDelivered, long rateLimitedFrames, long connectionsRefusedAtCapacity) {
  private static final Gson GSON = new Gson();

  /** Copies the broadcaster map (it may hold nulls, so not {@code Map.copyOf}). */
  public HubStats {
    Objects.requireNonNull(connections, "connections");
    broadcaster = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(broadcaster));
  }

  /** Users with at least one connection on this instance. */
  public int totalUsers() {
    return connections.totalUsers();
  }

  /** Open connections on this instance. */
  public int totalClients() {
    return connections.totalClients();
  }

  /**
   * The full body: {@code {"totalUsers":..,"totalClients":..,"clientsByUser":[..],"broadcaster":{..}}}, the
   * documented stats shape plus the broadcaster's details. It names users: serve it only to operators.
   */
  public String toJson() {
    StringBuilder b = connections.appendFields(new StringBuilder(128).append('{'));
    return b.append(",\"broadcaster\":").append(GSON.toJson(broadcaster)).append('}').toString();
  }

  /**
   * The public body: totals and the broadcaster's type and connection state, nothing that names a user or
   * a node: {@code {"totalUsers":2,"totalClients":3,"broadcaster":{"type":"redis","connected":true}}}.
   */
  public String countsJson() {
    StringBuilder b = new StringBuilder(96).append("{\"totalUsers\":").append(totalUsers())
        .append(",\"totalClients\":").append(totalClients()).append(",\"broadcaster\":{");
    String sep = "";
    if (broadcaster.get("type") instanceof String type && type.matches("[A-Za-z0-9_-]{1,32}")) {
      b.append("\"type\":\"").append(type).append('"');
      sep = ",";
    }
    if (broadcaster.get("connected") instanceof Boolean connected) {
      b.append(sep).append("\"connected\":").append(connected);
    }
    return b.append("}}").toString();
  }
}
