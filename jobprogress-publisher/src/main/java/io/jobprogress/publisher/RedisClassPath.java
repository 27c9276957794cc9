package io.jobprogress.publisher;

/**
 * Checks that the Redis publisher's libraries are on the class path before it is built: jobprogress-redis
 * is an optional dependency of jobprogress-publisher, so a worker that only publishes in-process carries
 * neither it nor Jedis. Without the check a missing library would surface as a {@link NoClassDefFoundError}
 * from somewhere inside the first publish. Static and stateless; thread-safe.
 */
final class RedisClassPath {
  static final String REDIS_ARTIFACT = "io.jobprogress:jobprogress-redis";
  static final String JEDIS_ARTIFACT = "redis.clients:jedis";

  private RedisClassPath() {}

  /**
   * Returns when both libraries can be loaded through {@code loader}.
   *
   * @throws IllegalStateException naming the missing artifact and the in-process alternative
   */
  static void require(ClassLoader loader) {
    if (!present("io.jobprogress.redis.RedisSettings", loader)) {
      throw new IllegalStateException("jobprogress-publisher: the Redis publisher needs " + REDIS_ARTIFACT
          + " on the class path (an optional dependency of jobprogress-publisher); add it to the application,"
          + " or publish in the server's own JVM with JobProgressPublisher.inProcess(hub)");
    }
    if (!present("redis.clients.jedis.Jedis", loader)) {
      throw new IllegalStateException("jobprogress-publisher: the Redis publisher needs " + JEDIS_ARTIFACT
          + " on the class path (" + REDIS_ARTIFACT + " depends on it: was it excluded?)");
    }
  }

  private static boolean present(String className, ClassLoader loader) {
    try {
      Class.forName(className, false, loader);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
