package io.jobprogress.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;

/**
 * Where Redis is and how to log in: a parsed {@code redis://[user[:password]@]host[:port][/db]} or
 * {@code rediss://...} (TLS) URL, as in {@code REDIS_URL}.
 *
 * <p>User and password may be percent-encoded. The port defaults to 6379, the database to 0; a query
 * string is ignored. Errors are {@link IllegalArgumentException}s starting with {@code "redis: "} that name
 * the problem and never contain the password; {@link #toString()} masks it too. Immutable, thread-safe.
 *
 * @param host host name or address
 * @param port TCP port, 1..65535
 * @param user ACL user, or {@code null} for the default user
 * @param password password, or {@code null}
 * @param database database index, {@code >= 0}
 * @param tls whether the URL was {@code rediss://}
 */
public record RedisUrl(String host, int port, String user, String password, int database, boolean tls) {

  /** Redis's default port. */
  public static final int DEFAULT_PORT = 6379;

  /**
   * Parses a Redis URL.
   *
   * @throws IllegalArgumentException naming the problem (never echoing the password)
   */
  public static RedisUrl parse(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("redis: URL is empty; expected redis://host:port or rediss://host:port");
    }
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      // The exception text repeats the input, which may contain the password: leave it out.
      throw new IllegalArgumentException("redis: URL is not a valid URI at index " + e.getIndex()
          + " (percent-encode special characters in user and password)");
    }
    String scheme = uri.getScheme();
    if (scheme == null || !(scheme.equalsIgnoreCase("redis") || scheme.equalsIgnoreCase("rediss"))) {
      throw new IllegalArgumentException("redis: URL scheme must be redis:// or rediss://, was "
          + (scheme == null ? "none" : '"' + scheme + '"'));
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("redis: URL has no host"
          + " (percent-encode '@', ':' and '/' in user and password)");
    }
    int port = uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort();
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("redis: URL port must be 1..65535, was " + port);
    }
    String user = null;
    String password = null;
    String info = uri.getRawUserInfo();
    if (info != null && !info.isEmpty()) {
      int colon = info.indexOf(':');
      user = decode(colon < 0 ? info : info.substring(0, colon));
      password = colon < 0 ? null : decode(info.substring(colon + 1));
      user = user.isEmpty() ? null : user;
      password = password == null || password.isEmpty() ? null : password;
    }
    return new RedisUrl(host, port, user, password, database(uri.getPath()), scheme.equalsIgnoreCase("rediss"));
  }

  private static int database(String path) {
    if (path == null || path.isEmpty() || path.equals("/")) {
      return 0;
    }
    String db = path.substring(1);
    try {
      int n = Integer.parseInt(db);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("redis: URL path must be a database number such as /0, was \""
        + (db.length() > 20 ? db.substring(0, 20) + "..." : db) + '"');
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("redis: URL user or password has a bad percent-encoding");
    }
  }

  /** Host and port for Jedis. */
  public HostAndPort hostAndPort() {
    return new HostAndPort(host, port);
  }

  /** A Jedis client configuration with these credentials, database and TLS flag. */
  public JedisClientConfig clientConfig(int connectTimeoutMillis, int socketTimeoutMillis, String clientName) {
    return DefaultJedisClientConfig.builder().user(user).password(password).database(database).ssl(tls)
        .connectionTimeoutMillis(connectTimeoutMillis).socketTimeoutMillis(socketTimeoutMillis)
        .clientName(clientName).build();
  }

  /** The URL with the password masked, safe to log. */
  @Override
  public String toString() {
    String auth = user == null && password == null ? ""
        : (user == null ? "" : user) + (password == null ? "" : ":***") + "@";
    return (tls ? "rediss://" : "redis://") + auth + host + ":" + port + "/" + database;
  }
}
