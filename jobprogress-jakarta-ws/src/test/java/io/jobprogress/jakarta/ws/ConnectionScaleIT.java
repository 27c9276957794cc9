package io.jobprogress.jakarta.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobprogress.core.HubSettings;
import io.jobprogress.core.JobProgressHub;
import io.jobprogress.core.JobStatus;
import io.jobprogress.core.ProgressEvent;
import io.jobprogress.jakarta.ws.testing.Container;
import io.jobprogress.jakarta.ws.testing.HubServer;
import io.jobprogress.jakarta.ws.testing.ScaleClients;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Connection scale (issue 15): one instance (the library endpoint in embedded Jetty, in-memory hub) holds
 * {@value #CONNECTIONS} concurrent authenticated, subscribed connections, one user and one job each, and
 * still delivers every update: each job gets one progress update and a terminal one, and every connection
 * must end with its own job's terminal state and nothing of another user's. Measures the memory per idle
 * connection (heap after GC and process RSS, before and after the connections, divided by their number).
 *
 * <p>The clients run in a separate JVM ({@link ScaleClients}): 10,000 server plus 10,000 client sockets do
 * not fit under one process's open-file limit. No {@code NoTokenInLogs} capture here on purpose: its buffer
 * lives on the heap this test measures (the security ITs cover token logging). Runs only with {@code -Djobprogress.load=true} ({@code -Pload});
 * the command and the recorded figures are in docs/benchmarks.md.
 */
@EnabledIfSystemProperty(named = "jobprogress.load", matches = "true")
class ConnectionScaleIT {
  static final int CONNECTIONS = Integer.getInteger("jobprogress.scale.connections", 10_000);

  @Test
  @Timeout(value = 20, unit = TimeUnit.MINUTES)
  void oneInstanceHoldsTenThousandSubscribedConnectionsAndDeliversEveryUpdate() throws Exception {
    HubSettings settings = HubSettings.builder().maxConnections(CONNECTIONS + 100).build();
    try (HubServer server = HubServer.start(Container.JETTY, settings)) {
      JobProgressHub hub = server.hub();
      for (int i = 0; i < CONNECTIONS; i++) {
        hub.publishJobUpdate(ProgressEvent.queued(job(i), user(i)));
      }
      long heapBefore = ChurnIT.heapAfterGc();
      long rssBefore = vmRssBytes();

      Process clients = startClients(server.port());
      BlockingQueue<String> lines = lines(clients);
      try {
        String ready = await(lines, "READY", 15);
        long connectMs = Long.parseLong(ready.split(" ")[2]);
        assertEquals(CONNECTIONS, hub.stats().connections().totalClients());
        assertEquals(CONNECTIONS, hub.stats().connections().totalUsers());
        long heapAfter = ChurnIT.heapAfterGc();
        long rssAfter = vmRssBytes();
        System.out.println("scale: the largest classes on the heap with " + CONNECTIONS + " idle connections:\n"
            + classHistogram(25));

        long publishStart = System.nanoTime();
        for (int i = 0; i < CONNECTIONS; i++) {
          hub.publishJobUpdate(ProgressEvent.of(job(i), user(i), JobStatus.PROCESSING, 50, "work", ""));
        }
        for (int i = 0; i < CONNECTIONS; i++) {
          hub.publishJobUpdate(ProgressEvent.completed(job(i), user(i), "done"));
        }
        long publishMs = (System.nanoTime() - publishStart) / 1_000_000;
        await(lines, "DONE", 5);
        long deliveredMs = (System.nanoTime() - publishStart) / 1_000_000;

        command(clients, "summary");
        String summary = await(lines, "SUMMARY", 1);
        String figures = "scale: " + CONNECTIONS + " connections subscribed in " + connectMs + " ms; heap after GC "
            + mb(heapBefore) + " -> " + mb(heapAfter) + " MB = " + (heapAfter - heapBefore) / CONNECTIONS
            + " B/connection; VmRSS " + mb(rssBefore) + " -> " + mb(rssAfter) + " MB = "
            + (rssAfter - rssBefore) / CONNECTIONS + " B/connection; " + 2 * CONNECTIONS + " updates published in "
            + publishMs + " ms, all terminal states delivered " + deliveredMs + " ms after the first publish; clients "
            + summary + "; jvm " + ManagementFactory.getRuntimeMXBean().getInputArguments() + " max heap "
            + mb(Runtime.getRuntime().maxMemory()) + " MB, " + Runtime.version() + "; loadavg "
            + Files.readString(Path.of("/proc/loadavg")).trim();
        System.out.println(figures);
        assertEquals("SUMMARY terminal=" + CONNECTIONS + " foreign=0 errors=0 closed=0 ready=" + CONNECTIONS, summary,
            figures);
      } finally {
        clients.getOutputStream().close();
        if (!clients.waitFor(30, TimeUnit.SECONDS)) {
          clients.destroyForcibly();
        }
      }
    }
  }

  /** The client JVM on this test's class path, its open-file limit raised to the hard limit. */
  private static Process startClients(int port) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder("bash", "-c", "ulimit -n $(ulimit -Hn); exec \"$@\"", "clients", java, "-Xmx512m",
        "-cp", System.getProperty("java.class.path"), ScaleClients.class.getName(), String.valueOf(port),
        String.valueOf(CONNECTIONS)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  /** Every stdout line of {@code p}, echoed to this test's output, FAIL lines included. */
  private static BlockingQueue<String> lines(Process p) {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          System.out.println("clients: " + line);
          lines.add(line);
        }
      } catch (IOException e) {
        lines.add("EOF " + e);
      }
      lines.add("EOF");
    }, "scale-clients-out");
    t.setDaemon(true);
    t.start();
    return lines;
  }

  /** The first line starting with {@code prefix} within {@code minutes}; a FAIL line or the end fails the test. */
  private static String await(BlockingQueue<String> lines, String prefix, int minutes) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes);
    while (true) {
      String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      assertTrue(line != null, "the clients did not report " + prefix + " within " + minutes + " min");
      assertTrue(!line.startsWith("FAIL") && !line.startsWith("EOF"), "the clients reported: " + line);
      if (line.startsWith(prefix)) {
        return line;
      }
    }
  }

  private static void command(Process p, String command) throws IOException {
    OutputStream in = p.getOutputStream();
    in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  /** The first {@code lines} lines of the JVM's class histogram (jcmd GC.class_histogram, through its MBean). */
  static String classHistogram(int lines) throws Exception {
    Object text = ManagementFactory.getPlatformMBeanServer().invoke(
        new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
        new Object[] {new String[0]}, new String[] {String[].class.getName()});
    return ((String) text).lines().limit(lines + 2L).collect(java.util.stream.Collectors.joining("\n"));
  }

  /** This process's resident set (VmRSS in /proc/self/status), in bytes. */
  static long vmRssBytes() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
        .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024).findFirst()
        .orElseThrow(() -> new IllegalStateException("ConnectionScaleIT: no VmRSS in /proc/self/status"));
  }

  private static long mb(long bytes) {
    return bytes / (1024 * 1024);
  }

  private static String user(int i) {
    return "scale-user-" + i;
  }

  private static String job(int i) {
    return "scale-job-" + i;
  }
}
