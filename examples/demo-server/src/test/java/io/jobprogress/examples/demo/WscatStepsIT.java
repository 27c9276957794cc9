package io.jobprogress.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manual testing steps of the demo README: register, create a job, {@code wscat -c
 * "ws://localhost:PORT/ws?token=..."}, type {@code {"type":"subscribe","data":{"jobId":"..."}}}, watch the
 * progress. Uses the real wscat from npm, installed into this test's temp dir.
 */
class WscatStepsIT {
  static final String WSCAT_VERSION = "6.1.0";

  @TempDir
  Path tmp;

  // Steps of 1.5 s: wscat (a Node process) must connect and subscribe while the job is still running, also
  // on a loaded machine; with 300 ms steps a busy CI run saw only the final state.
  @Test
  void theWscatStepsShowProgressUntilCompleted() throws Exception {
    Path wscat = installWscat();
    try (DemoProcess demo = DemoProcess.startDemo(Map.of("DEMO_STEP_MS", "1500"))) {
      Api api = new Api(demo.url());
      // 1. Get access token  2. Create job
      String token = api.register("test@example.com");
      String jobId = api.generate(token, "test");
      // 3. Connect WebSocket
      Process p = new ProcessBuilder(wscat.toString(), "-c",
          "ws://localhost:" + demo.url().getPort() + "/ws?token=" + token).redirectErrorStream(true).start();
      try {
        BlockingQueue<String> lines = lines(p);
        awaitLine(lines, "\"type\":\"connected\"");
        // 4. Subscribe to job
        Writer in = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
        in.write("{\"type\":\"subscribe\",\"data\":{\"jobId\":\"" + jobId + "\"}}\n");
        in.flush();
        // 5. Watch for progress updates
        awaitLine(lines, "\"type\":\"subscribed\"");
        List<String> seen = new ArrayList<>();
        String done = awaitLine(lines, "\"status\":\"completed\"", seen);
        assertTrue(done.contains("\"progress\":100"), done);
        assertTrue(seen.stream().anyMatch(l -> l.contains("\"type\":\"progress\"") && l.contains("\"rendering\"")),
            "progress frames arrived before completion: " + seen);
      } finally {
        p.destroy();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private Path installWscat() throws Exception {
    Process npm;
    try {
      npm = new ProcessBuilder("npm", "install", "--prefix", tmp.toString(), "--no-audit", "--no-fund",
          "--loglevel=error", "wscat@" + WSCAT_VERSION).redirectErrorStream(true).start();
    } catch (IOException e) {
      fail("npm is not on PATH: install Node.js (with npm) to run the wscat steps");
      return null;
    }
    String out = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(npm.waitFor(120, TimeUnit.SECONDS), "npm install wscat finished");
    assertEquals(0, npm.exitValue(), "npm install wscat@" + WSCAT_VERSION + ":\n" + out);
    Path bin = tmp.resolve("node_modules/.bin/wscat");
    assertTrue(Files.isExecutable(bin), "wscat installed at " + bin);
    return bin;
  }

  private static BlockingQueue<String> lines(Process p) {
    BlockingQueue<String> q = new LinkedBlockingQueue<>();
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          q.add(line);
        }
      } catch (IOException e) {
        // wscat ended
      }
    }, "wscat-output");
    t.setDaemon(true);
    t.start();
    return q;
  }

  private static String awaitLine(BlockingQueue<String> lines, String needle) throws InterruptedException {
    return awaitLine(lines, needle, new ArrayList<>());
  }

  private static String awaitLine(BlockingQueue<String> lines, String needle, List<String> seen)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      String line = lines.poll(1, TimeUnit.SECONDS);
      if (line != null) {
        seen.add(line);
        if (line.contains(needle)) {
          return line;
        }
      }
    }
    throw new AssertionError("wscat printed no line with " + needle + " within 30 s; it printed: " + seen);
  }
}
