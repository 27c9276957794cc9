package io.jobprogress.jakarta.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobprogress.core.ConfigSource;
import io.jobprogress.core.HubSettings;
import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.jwt.JwtTokenVerifier;
import io.jobprogress.core.TestTokens;
import io.jobprogress.redis.RedisSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps the settings table in {@code docs/operations.md} in step with the code: every reader of the library
 * runs over an observed {@link ConfigSource}, and the names it reads and the defaults it applies must be
 * exactly the table's rows and default column. A new variable, a removed one or a changed default fails here.
 */
class SettingsTableTest {
  private static final Pattern ROW = Pattern.compile("^\\| `([A-Z][A-Z0-9_]*)` \\| ([^|]*) \\|");

  private record Read(String defaultValue, boolean secret) {}

  /** Every variable the library reads, with its default, as the readers themselves report them. */
  private static Map<String, Read> readByTheCode() {
    Map<String, Read> reads = new LinkedHashMap<>();
    ConfigSource.Observer observer = (name, def, secret) -> reads.putIfAbsent(name, new Read(def, secret));
    // the smallest valid configuration: everything else unset, so each reader applies (and reports) its default
    ConfigSource config = ConfigSource.of(Map.of("JWT_SECRET", TestTokens.SECRET,
        "REDIS_URL", "redis://127.0.0.1:6379")).observed(observer);
    JwtTokenVerifier.from(config);
    HubSettings.from(config);
    RedisSettings.from(config);
    try (JobProgressHub hub = JobProgressHub.builder().tokenVerifier(TestTokens.verifier()).build()) {
      JobProgressWebSocket.builder(hub).from(config).build().close();
    }
    HandshakeRateFilter.from(config);
    StatsServlet.guardFrom(config);
    ServletDeployment.autoDeploy(config);
    return reads;
  }

  /** The rows of the first table under "## Settings": name to the default column. */
  private static Map<String, String> documented() throws IOException {
    Path doc = Path.of(System.getProperty("basedir", ".")).resolve("../docs/operations.md").normalize();
    List<String> lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
    Map<String, String> rows = new LinkedHashMap<>();
    int i = lines.indexOf("## Settings");
    assertTrue(i >= 0, "docs/operations.md has no \"## Settings\" section");
    while (i < lines.size() && !lines.get(i).startsWith("|")) {
      i++;
    }
    for (; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      Matcher m = ROW.matcher(lines.get(i));
      if (m.find()) {
        String previous = rows.put(m.group(1), m.group(2).strip());
        assertEquals(null, previous, m.group(1) + " is listed twice");
      }
    }
    return rows;
  }

  @Test
  void theTableListsExactlyTheVariablesTheCodeReads() throws IOException {
    Map<String, Read> code = readByTheCode();
    Map<String, String> doc = documented();
    TreeSet<String> undocumented = new TreeSet<>(code.keySet());
    undocumented.removeAll(doc.keySet());
    TreeSet<String> notRead = new TreeSet<>(doc.keySet());
    notRead.removeAll(code.keySet());
    assertTrue(undocumented.isEmpty() && notRead.isEmpty(), "docs/operations.md settings table: read by the code"
        + " but not listed " + undocumented + "; listed but read by no code " + notRead);
  }

  @Test
  void theTableShowsTheDefaultTheCodeApplies() throws IOException {
    Map<String, String> doc = documented();
    List<String> wrong = new ArrayList<>();
    readByTheCode().forEach((name, read) -> {
      String cell = doc.get(name);
      if (cell == null) {
        return; // the other test names it
      }
      String def = read.defaultValue();
      boolean ok = def == null ? !cell.startsWith("`")        // no default: "unset..." in words
          : def.isEmpty() ? cell.startsWith("empty")           // empty string or list
          : cell.equals("`" + def + "`");
      if (!ok) {
        wrong.add(name + ": the code's default is " + (def == null ? "none (unset)" : "\"" + def + "\"")
            + ", the table says " + cell);
      }
    });
    assertTrue(wrong.isEmpty(), String.join("\n", wrong));
  }

  @Test
  void secretsAreTheKeysTheTokenAndTheRedisUrl() {
    TreeSet<String> secrets = new TreeSet<>();
    readByTheCode().forEach((name, read) -> {
      if (read.secret()) {
        secrets.add(name);
      }
    });
    // these values never appear in an error message (ConfigSourceTest, JwtEnvironmentTest, RedisSettingsTest)
    assertEquals(new TreeSet<>(List.of("JP_STATS_TOKEN", "JWT_JWKS_URL", "JWT_PUBLIC_KEY", "JWT_SECRET",
        "REDIS_URL")), secrets);
  }
}
