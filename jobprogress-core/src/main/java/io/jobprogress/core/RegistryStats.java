package io.jobprogress.core;

import java.util.List;

/**
 * Who is connected to this instance, the part of {@link HubStats} that names users:
 * {@code {"totalUsers":5,"totalClients":8,"clientsByUser":[{"userId":"user-1","connections":2}]}} (the
 * stats endpoint's shape, docs/protocol.md). Immutable and thread-safe.
 *
 * @param totalUsers users with at least one connection
 * @param totalClients open connections
 * @param clientsByUser connections per user, sorted by user id
 */
public record RegistryStats(int totalUsers, int totalClients, List<UserConnections> clientsByUser) {

  /** Copies the list. */
  public RegistryStats {
    clientsByUser = List.copyOf(clientsByUser);
  }

  /**
   * One user's connection count.
   *
   * @param userId the user
   * @param connections open connections of that user on this instance
   */
  public record UserConnections(String userId, int connections) {}

  /** How many connections {@code userId} holds on this instance (0 when none). */
  public int connectionsOf(String userId) {
    return clientsByUser.stream().filter(u -> u.userId().equals(userId)).mapToInt(UserConnections::connections).sum();
  }

  /** This snapshot as JSON: {@code {"totalUsers":..,"totalClients":..,"clientsByUser":[..]}}. */
  public String toJson() {
    return appendFields(new StringBuilder(64 + 48 * clientsByUser.size()).append('{')).append('}').toString();
  }

  /** Appends the three fields, without braces, so {@link HubStats} can write them into its object. */
  StringBuilder appendFields(StringBuilder b) {
    b.append("\"totalUsers\":").append(totalUsers).append(",\"totalClients\":").append(totalClients)
        .append(",\"clientsByUser\":[");
    for (int i = 0; i < clientsByUser.size(); i++) {
      UserConnections u = clientsByUser.get(i);
      b.append(i == 0 ? "" : ",").append("{\"userId\":");
      ProtocolCodec.quote(b, u.userId());
      b.append(",\"connections\":").append(u.connections()).append('}');
    }
    return b.append(']');
  }
}
