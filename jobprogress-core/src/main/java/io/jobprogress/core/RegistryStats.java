package io.jobprogress.core;

import java.util.List;

/**
 * A snapshot of who is connected to this instance, in the seed's stats shape:
 * {@code {"totalUsers":5,"totalClients":8,"clientsByUser":[{"userId":"user-1","connections":2}]}}.
 * Immutable and thread-safe.
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

  /** This snapshot as the stats endpoint's JSON. */
  public String toJson() {
    StringBuilder b = new StringBuilder(64 + 48 * clientsByUser.size());
    b.append("{\"totalUsers\":").append(totalUsers).append(",\"totalClients\":").append(totalClients)
        .append(",\"clientsByUser\":[");
    for (int i = 0; i < clientsByUser.size(); i++) {
      UserConnections u = clientsByUser.get(i);
      b.append(i == 0 ? "" : ",").append("{\"userId\":");
      ProtocolCodec.quote(b, u.userId());
      b.append(",\"connections\":").append(u.connections()).append('}');
    }
    return b.append("]}").toString();
  }
}
