package io.jobprogress.examples.demo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A shaded jar started as a real process ({@code java -jar}) with a given environment; for the demo it
 * waits for the "listening on" line and parses the URL (the demo runs with {@code PORT=0}). Output is
 * collected for assertions and failure messages. {@link #close()} sends SIGTERM and waits.
 */
final class DemoProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+/)");

  private final Process process;
  private final List<String> output = new CopyOnWriteArrayList<>();
  private final CompletableFuture<URI> url = new CompletableFuture<>();
  private final CountDownLatch outputEnded = new CountDownLatch(1);

  private DemoProcess(Process process) {
    this.process = process;
    Thread reader = new Thread(this::read, "demo-process-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts the demo jar ({@code -Ddemo.jar}) on a free loopback port and waits until it listens. */
  static DemoProcess startDemo(Map<String, String> env) throws Exception {
    DemoProcess p = start(jar("demo.jar"), env);
    try {
      p.url.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      p.close();
      throw new AssertionError("demo did not start: " + e + "\n" + String.join("\n", p.output), e);
    }
    return p;
  }

  /** Starts the worker jar ({@code -Dworker.jar}) and waits until it takes jobs. */
  static DemoProcess startWorker(Map<String, String> env) throws Exception {
    DemoProcess p = start(jar("worker.jar"), env);
    try {
      await().atMost(Duration.ofSeconds(60))
          .until(() -> p.output.stream().anyMatch(l -> l.contains("taking jobs from")) || !p.process.isAlive());
    } catch (RuntimeException e) {
      p.close();
      throw new AssertionError("worker did not start:\n" + String.join("\n", p.output), e);
    }
    if (!p.process.isAlive()) {
      throw new AssertionError("worker exited:\n" + String.join("\n", p.output));
    }
    return p;
  }

  /** Starts any jar with the environment (plus nothing inherited but PATH and JAVA_HOME). */
  static DemoProcess start(Path jar, Map<String, String> env) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-jar", jar.toString()).redirectErrorStream(true);
    Map<String, String> e = pb.environment();
    e.keySet().retainAll(List.of("PATH", "JAVA_HOME", "HOME"));
    e.put("HOST", "127.0.0.1");
    e.put("PORT", "0");
    e.putAll(env);
    return new DemoProcess(pb.start());
  }

  static Path jar(String property) {
    String path = System.getProperty(property);
    assertTrue(path != null && Files.isRegularFile(Path.of(path)),
        "-D" + property + " must point at a built jar (run ./mvnw verify), was " + path);
    return Path.of(path);
  }

  private void read() {
    try (BufferedReader r = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        output.add(line);
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
          url.complete(URI.create(m.group(1)));
        }
      }
    } catch (IOException e) {
      // process gone
    } finally {
      url.completeExceptionally(new IllegalStateException("process ended without listening"));
      outputEnded.countDown();
    }
  }

  /** The base URL, e.g. {@code http://127.0.0.1:41234/}. */
  URI url() {
    return url.join();
  }

  /** The WebSocket URL of {@code path} on this server. */
  URI ws(String pathAndQuery) {
    return URI.create("ws://" + url().getAuthority() + pathAndQuery);
  }

  List<String> output() {
    return output;
  }

  Process process() {
    return process;
  }

  /** Sends SIGTERM, waits up to 20 s for the exit and the last output line; returns the exit code. */
  int terminate() throws Exception {
    sigterm();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
      throw new AssertionError("process did not stop within 20 s of SIGTERM");
    }
    outputEnded.await(10, TimeUnit.SECONDS);
    return process.exitValue();
  }

  /**
   * Sends SIGTERM with {@code kill} (Process.destroy() would also close our end of its output, losing
   * what the shutdown hook prints).
   */
  void sigterm() throws Exception {
    Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).inheritIO().start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new AssertionError("kill -TERM " + process.pid() + " failed");
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
