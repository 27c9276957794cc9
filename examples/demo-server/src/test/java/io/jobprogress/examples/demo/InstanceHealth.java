package io.jobprogress.examples.demo;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a running demo instance holds, read from outside the process: the library's threads (every one is
 * named {@code jobprogress-...}; read with {@code jcmd <pid> Thread.print}) and the stats endpoint's
 * {@code totalClients}. Used by the chaos tests to show that a fault leaves no thread or connection behind.
 * Stateless; safe from any thread.
 */
final class InstanceHealth {
  private InstanceHealth() {}

  /** The sorted names of the process's {@code jobprogress-} threads. */
  static List<String> libraryThreads(Process process) throws Exception {
    Process jcmd = new ProcessBuilder(jcmd(), Long.toString(process.pid()), "Thread.print")
        .redirectErrorStream(true).start();
    List<String> names = new ArrayList<>();
    List<String> all = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(jcmd.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        all.add(line);
        if (line.startsWith("\"jobprogress-")) {
          names.add(line.substring(1, line.indexOf('"', 1)));
        }
      }
    }
    if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
      throw new AssertionError("jcmd " + process.pid() + " Thread.print failed: " + all.stream().limit(5).toList());
    }
    names.sort(null);
    return names;
  }

  /** {@code totalClients} from {@code /api/ws/stats} (the bearer is the instance's STATS_TOKEN). */
  static int totalClients(DemoProcess demo, String statsToken) throws Exception {
    Api.Response r = new Api(demo.url()).get("/api/ws/stats", statsToken);
    if (r.status() != 200) {
      throw new AssertionError("stats answered " + r.status() + ": " + r.body());
    }
    return r.json().get("totalClients").getAsInt();
  }

  private static String jcmd() {
    return java.nio.file.Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
  }
}
