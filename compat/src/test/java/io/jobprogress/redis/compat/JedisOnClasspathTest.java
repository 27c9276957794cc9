package io.jobprogress.redis.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Proves the matrix cell runs on the Jedis and gson it claims: the contract suites beside this test would
 * pass just as well if a dependency override silently stopped working and the build's own Jedis came back.
 */
class JedisOnClasspathTest {

  @Test
  void theJedisLoadedIsTheOneThisModulePins() throws IOException {
    String expected = System.getProperty("jobprogress.expectedJedis");
    assertNotNull(expected, "compat: the pom must pass -Djobprogress.expectedJedis");
    assertEquals(expected, versionOf(redis.clients.jedis.Jedis.class, "redis.clients", "jedis"));
  }

  @Test
  void theGsonLoadedIsTheOneThisModulePins() throws IOException {
    String expected = System.getProperty("jobprogress.expectedGson");
    assertNotNull(expected, "compat: the pom must pass -Djobprogress.expectedGson");
    assertEquals(expected, versionOf(com.google.gson.JsonParser.class, "com.google.code.gson", "gson"));
  }

  /** The version in the pom.properties of the jar {@code type} was loaded from. */
  private static String versionOf(Class<?> type, String groupId, String artifactId) throws IOException {
    String path = "/META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
    String jar = type.getProtectionDomain().getCodeSource().getLocation().toString();
    try (InputStream in = URI.create("jar:" + jar + "!" + path).toURL().openStream()) {
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    }
  }
}
