package io.jobprogress.redis;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A real Redis Cluster for a test class: six {@code redis-server} processes with {@code --cluster-enabled
 * yes} on free loopback ports, joined by {@code redis-cli --cluster create ... --cluster-replicas 1}
 * (3 masters, 3 replicas), node timeout 1 s and replica validity factor 0 so a failover takes a few
 * seconds on a loaded machine too. Register as
 * {@code @RegisterExtension static final RedisClusterProcess cluster = new RedisClusterProcess();}: started
 * before the class, every process stopped by its pid after it, the temp directory deleted.
 * {@link #killMasterOf(String)} SIGKILLs the master serving a key's slot. Not thread-safe.
 */
public final class RedisClusterProcess implements BeforeAllCallback, AfterAllCallback {
  private static final int NODES = 6;
  private final List<Integer> ports = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();
  private Path dir;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    dir = Files.createTempDirectory("jp-cluster");
    for (int i = 0; i < NODES; i++) {
      startNode();
    }
    List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
    ports.forEach(p -> create.add("127.0.0.1:" + p));
    create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
    Process p = new ProcessBuilder(create).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      afterAll(context);
      throw new IllegalStateException("redis-cli --cluster create failed: " + out);
    }
    awaitHealthy();
    assignUnplacedReplicas();
    // a replica can only take over once its replication link is up
    awaitTrue("every master has a synced replica", () -> ports.stream().allMatch(port -> {
      try (Jedis j = new Jedis("127.0.0.1", port)) {
        String info = j.info("replication");
        return info.contains("role:master") ? info.contains("connected_slaves:1")
            : info.contains("master_link_status:up");
      } catch (RuntimeException e) {
        return false;
      }
    }));
  }

  /**
   * Starts one node on a port that no other node uses, for its client port or its cluster bus port (port +
   * 10000), and waits until that port is answered by this node's own process. Two free-port probes can
   * return the same port, and a port can be taken between the probe and the bind: then the node exits
   * ("Failed listening on port") while the other one answers its PING, and the cluster never has six nodes
   * (CI, 2026-11-29). Such a node is started again on another port, up to three times.
   */
  private void startNode() throws IOException {
    for (int attempt = 1; ; attempt++) {
      int port = freeNodePort();
      Path d = Files.createDirectories(dir.resolve(Integer.toString(port)));
      Process node = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port), "--bind",
          "127.0.0.1", "--cluster-enabled", "yes", "--cluster-node-timeout", "1000",
          "--cluster-replica-validity-factor", "0", "--dir", d.toString(),
          "--cluster-config-file", "nodes.conf", "--save", "", "--appendonly", "no", "--daemonize", "no",
          "--loglevel", "warning", "--logfile", d.resolve("redis.log").toString())).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      ports.add(port);
      processes.add(node);
      awaitTrue("node " + port + " answers PING or exits", () -> !node.isAlive() || pid(port) == node.pid());
      if (node.isAlive()) {
        return;
      }
      ports.remove(ports.size() - 1);
      processes.remove(processes.size() - 1);
      if (attempt == 3) {
        throw new IllegalStateException("redis cluster: a node exited three times at start; the last on port "
            + port + diagnostics());
      }
    }
  }

  /** A free port that is neither a node's port nor a node's cluster bus port, and whose bus port can exist. */
  private int freeNodePort() {
    while (true) {
      int port = freePort();
      if (port + 10000 <= 65535 && ports.stream().noneMatch(p -> p == port || p + 10000 == port || p == port + 10000)) {
        return port;
      }
    }
  }

  /** The pid of the redis-server answering on {@code port}, or -1. */
  private static long pid(int port) {
    try (Jedis j = new Jedis("127.0.0.1", port)) {
      for (String line : j.info("server").split("\r?\n")) {
        if (line.startsWith("process_id:")) {
          return Long.parseLong(line.substring("process_id:".length()).strip());
        }
      }
      return -1;
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /**
   * Completes the topology {@code --cluster create} asked for: a node left a master without slots (its
   * {@code CLUSTER REPLICATE} can fail while the new configuration is still spreading) is made the replica of
   * a slot-owning master that has none. Without this such a cluster never gets every master a replica.
   */
  private void assignUnplacedReplicas() {
    awaitTrue("every node knows the whole cluster", () -> ports.stream().allMatch(port -> {
      try (Jedis j = new Jedis("127.0.0.1", port)) {
        return j.clusterNodes().strip().split("\n").length == NODES;
      } catch (RuntimeException e) {
        return false;
      }
    }));
    // each node's own line ("myself") says its role for sure, whatever gossip has not reached node 0 yet
    List<String> orphans = new ArrayList<>(); // "port id" of masters without slots
    List<String> owners = new ArrayList<>();  // ids of masters with slots
    List<String> replicated = new ArrayList<>(); // ids of the masters some replica follows
    for (int port : ports) {
      try (Jedis j = new Jedis("127.0.0.1", port)) {
        for (String line : j.clusterNodes().strip().split("\n")) {
          String[] n = line.split(" ");
          if (!n[2].contains("myself")) {
            continue;
          }
          if (n[2].contains("slave")) {
            replicated.add(n[3]);
          } else if (n.length > 8) {
            owners.add(n[0]);
          } else {
            orphans.add(port + " " + n[0]);
          }
        }
      }
    }
    List<String> bare = new ArrayList<>(owners);
    bare.removeAll(replicated);
    for (int i = 0; i < Math.min(orphans.size(), bare.size()); i++) {
      int port = Integer.parseInt(orphans.get(i).split(" ")[0]);
      String masterId = bare.get(i);
      awaitTrue("node " + port + " replicates " + masterId, () -> {
        try (Jedis j = new Jedis("127.0.0.1", port)) {
          return "OK".equals(j.clusterReplicate(masterId));
        } catch (RuntimeException e) {
          return false;
        }
      });
    }
  }

  /** What each node says about its replication, and its log's last lines: for a failure message. */
  private String diagnostics() {
    StringBuilder b = new StringBuilder();
    for (int port : ports) {
      b.append("\n== ").append(port).append(": ");
      try (Jedis j = new Jedis("127.0.0.1", port)) {
        b.append(j.info("replication").replace("\r\n", " "));
      } catch (RuntimeException e) {
        b.append(e);
      }
      try {
        List<String> log = Files.readAllLines(dir.resolve(Integer.toString(port)).resolve("redis.log"));
        log.subList(Math.max(0, log.size() - 5), log.size()).forEach(l -> b.append("\n   ").append(l));
      } catch (IOException | RuntimeException e) {
        b.append("\n   (no log: ").append(e).append(')');
      }
    }
    return b.toString();
  }

  /** Seed nodes as {@code host:port}, for {@link RedisSettings.Builder#clusterNodes}. */
  public String[] nodes() {
    return ports.stream().map(p -> "127.0.0.1:" + p).toArray(String[]::new);
  }

  /** {@code redis://127.0.0.1:<first port>}: the URL a cluster-mode builder starts from. */
  public String url() {
    return "redis://127.0.0.1:" + ports.get(0);
  }

  /** Settings for this cluster with every other default. */
  public RedisSettings.Builder settings() {
    return RedisSettings.builder(url()).clusterNodes(nodes());
  }

  /** The port of the master that serves {@code key}'s slot now. */
  public int masterOf(String key) {
    int slot = JedisClusterCRC16.getSlot(key);
    for (int port : alivePorts()) {
      try (Jedis j = new Jedis("127.0.0.1", port)) {
        if (!j.info("replication").contains("role:master")) {
          continue;
        }
        for (String line : j.clusterNodes().split("\n")) {
          String[] f = line.split(" ");
          if (f[2].contains("myself")) {
            for (int i = 8; i < f.length; i++) {
              String[] range = f[i].split("-");
              if (range[0].startsWith("[")) {
                continue;
              }
              int lo = Integer.parseInt(range[0]);
              int hi = range.length > 1 ? Integer.parseInt(range[1]) : lo;
              if (slot >= lo && slot <= hi) {
                return port;
              }
            }
          }
        }
      } catch (RuntimeException e) {
        // a node going down: ask the next
      }
    }
    throw new IllegalStateException("no master serves slot " + slot + " of " + key);
  }

  /** SIGKILLs the master of {@code key}'s slot and returns its port; a replica takes over within seconds. */
  public int killMasterOf(String key) {
    int port = masterOf(key);
    Process p = processes.get(ports.indexOf(port));
    p.destroyForcibly();
    try {
      p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return port;
  }

  /** Waits until every live node reports {@code cluster_state:ok} (e.g. after a failover). */
  public void awaitHealthy() {
    awaitTrue("cluster_state:ok on every live node", () -> alivePorts().stream().allMatch(port -> {
      try (Jedis j = new Jedis("127.0.0.1", port)) {
        return j.clusterInfo().contains("cluster_state:ok");
      } catch (RuntimeException e) {
        return false;
      }
    }));
  }

  private List<Integer> alivePorts() {
    List<Integer> alive = new ArrayList<>();
    for (int i = 0; i < ports.size(); i++) {
      if (processes.get(i).isAlive()) {
        alive.add(ports.get(i));
      }
    }
    return alive;
  }

  private void awaitTrue(String what, java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("redis cluster: not " + what + " within 30 s" + diagnostics());
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for " + what);
      }
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    for (Process p : processes) {
      p.destroyForcibly();
    }
    for (Process p : processes) {
      try {
        p.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  /** A free port below 30000 whose cluster bus port (+10000) is free too. */
  private static int freePort() {
    for (int tries = 0; tries < 200; tries++) {
      int port = 20000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(10000);
      if (free(port) && free(port + 10000)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port pair (port, port + 10000) in 20000..29999");
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort() == port;
    } catch (IOException e) {
      return false;
    }
  }
}
