package io.jobprogress.examples.demo;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.jobprogress.core.ProgressEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test client that behaves like a browser tab on a bad network: it connects to one of the given
 * instances at random (switching after three connections in a row to one; Bearer token), subscribes to
 * every job of its user (with {@code sinceSeq} and {@code epoch} of the newest event it holds, once it
 * holds one), and, while in chaos mode, drops the
 * connection at a random moment (abort or close) and does it all again. A refused subscribe (the job is
 * unknown while Redis is empty, or Redis is away) is retried shortly after. Every frame goes through its
 * {@link SeqLedger}.
 *
 * <p>Lifecycle: {@link #start()}, {@link #calm()} (stay connected from now on, reconnecting only when the
 * server drops it), {@link #stop()}. Runs on its own daemon thread; the other methods are thread-safe.
 */
final class ResumingClient implements Runnable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final String CLOSED = "\u0000closed";

  final String name;
  final String userId;
  final SeqLedger ledger;
  final Set<String> instancesUsed = ConcurrentHashMap.newKeySet();
  final AtomicInteger connectFailures = new AtomicInteger();
  final AtomicInteger drops = new AtomicInteger();
  final AtomicInteger refusals = new AtomicInteger();
  final List<String> notes = new CopyOnWriteArrayList<>();
  private final String token;
  private final List<String> jobIds;
  private final Map<String, URI> instances;
  private final Random random;
  private final Random picks;
  private final Thread thread;
  private volatile boolean chaos = true;
  private volatile boolean running = true;
  private volatile WebSocket current;

  ResumingClient(String name, String userId, String token, List<String> jobIds, Map<String, URI> instances,
      long seed) {
    this.name = name;
    this.userId = userId;
    this.token = token;
    this.jobIds = List.copyOf(jobIds);
    this.instances = Map.copyOf(instances);
    this.random = new Random(seed);
    this.picks = new Random(~seed);
    this.ledger = new SeqLedger(name);
    this.thread = new Thread(this, "convergence-client-" + name);
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** From now on no more deliberate drops. */
  void calm() {
    chaos = false;
  }

  /** Ends the loop and the connection; waits for the thread. */
  void stop() throws InterruptedException {
    running = false;
    WebSocket ws = current;
    if (ws != null) {
      ws.abort();
    }
    thread.join(TimeUnit.SECONDS.toMillis(10));
  }

  /** Whether this client holds exactly {@code terminal} (epoch, seq, status) for every job. */
  boolean holdsAll(Map<String, ProgressEvent> terminal) {
    return jobIds.stream().allMatch(j -> holds(j, terminal.get(j)));
  }

  /** The jobs whose terminal state this client does not hold, with what it holds instead. */
  List<String> missing(Map<String, ProgressEvent> terminal) {
    List<String> out = new ArrayList<>();
    for (String j : jobIds) {
      ProgressEvent t = terminal.get(j);
      if (!holds(j, t)) {
        out.add("client " + name + " job " + j + ": holds " + ledger.latest(j) + ", terminal is "
            + (t == null ? "never published"
                : SeqLedger.shortEpoch(t.epoch()) + ":" + t.seq() + " " + t.status().wireName()));
      }
    }
    return out;
  }

  private boolean holds(String jobId, ProgressEvent t) {
    SeqLedger.Seen s = ledger.latest(jobId);
    return t != null && s != null && s.epoch().equals(t.epoch()) && s.seq() == t.seq()
        && s.status().equals(t.status().wireName());
  }

  @Override
  public void run() {
    List<String> names = new ArrayList<>(instances.keySet());
    names.sort(null);
    String previous = null;
    int inARow = 0;
    while (running) {
      String instance = names.get(picks.nextInt(names.size()));
      if (instance.equals(previous) && inARow >= 3) {
        instance = names.get((names.indexOf(instance) + 1) % names.size());
      }
      Listener l = new Listener();
      try {
        current = HTTP.newWebSocketBuilder().header("Authorization", "Bearer " + token)
            .buildAsync(instances.get(instance), l).get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        connectFailures.incrementAndGet();
        inARow = 0; // that instance is down: the next pick is free again
        pause(50 + random.nextInt(200));
        continue;
      }
      instancesUsed.add(instance);
      inARow = instance.equals(previous) ? inARow + 1 : 1;
      previous = instance;
      ledger.connectionStarted(instance);
      try {
        session(current, l);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        notes.add("session on " + instance + " ended by " + e);
      } finally {
        current.abort();
      }
      pause(random.nextInt(200));
    }
  }

  private void session(WebSocket ws, Listener l) throws InterruptedException {
    String first = l.frames.poll(10, TimeUnit.SECONDS);
    if (first == null || first == CLOSED
        || !"connected".equals(type(JsonParser.parseString(first).getAsJsonObject()))) {
      notes.add("no connected frame, got " + first);
      return;
    }
    for (String j : jobIds) {
      if (!subscribe(ws, j)) {
        return;
      }
    }
    Map<String, Long> retryAt = new HashMap<>();
    long dropAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300 + random.nextInt(1200));
    while (running) {
      String f = l.frames.poll(50, TimeUnit.MILLISECONDS);
      if (f == CLOSED) {
        return;
      }
      if (f != null) {
        handle(JsonParser.parseString(f).getAsJsonObject(), retryAt);
      }
      long now = System.nanoTime();
      for (Iterator<Map.Entry<String, Long>> it = retryAt.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<String, Long> e = it.next();
        if (now >= e.getValue()) {
          it.remove();
          if (!subscribe(ws, e.getKey())) {
            return;
          }
        }
      }
      if (chaos && now >= dropAt) {
        drops.incrementAndGet();
        if (random.nextBoolean()) {
          ws.abort();
        } else {
          ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(2, TimeUnit.SECONDS)
              .whenComplete((r, e) -> ws.abort());
        }
        return;
      }
    }
  }

  private void handle(JsonObject f, Map<String, Long> retryAt) {
    String jobId = f.has("jobId") ? f.get("jobId").getAsString() : null;
    switch (type(f)) {
      case "subscribed" -> {
        JsonElement r = f.get("recovered");
        ledger.subscribed(jobId, r == null || r.isJsonNull() ? null : r.getAsBoolean());
      }
      case "progress" -> {
        if (!f.has("seq") || !f.has("epoch")) {
          ledger.unexpected(jobId, "progress frame without seq or epoch: " + f);
        } else {
          ledger.progress(jobId, f.get("epoch").getAsString(), f.get("seq").getAsLong(), f.get("status").getAsString());
        }
      }
      case "error" -> {
        String code = f.has("code") ? f.get("code").getAsString() : f.get("error").getAsString();
        if (jobId != null && ledger.refused(jobId, code)) {
          refusals.incrementAndGet();
          retryAt.put(jobId, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(150 + random.nextInt(250)));
        } else {
          notes.add("error frame " + f);
        }
      }
      case "batch" -> ledger.unexpected(jobId, "batch frame without opting in: " + f);
      default -> { }
    }
  }

  /** Sends a subscribe (resuming when the ledger holds an event of the job); false when the send failed. */
  private boolean subscribe(WebSocket ws, String jobId) {
    SeqLedger.Seen since = ledger.subscribing(jobId);
    JsonObject data = new JsonObject();
    data.addProperty("jobId", jobId);
    if (since != null) {
      data.addProperty("sinceSeq", since.seq());
      data.addProperty("epoch", since.epoch());
    }
    JsonObject frame = new JsonObject();
    frame.addProperty("type", "subscribe");
    frame.add("data", data);
    try {
      ws.sendText(frame.toString(), true).get(5, TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private static String type(JsonObject f) {
    return f.has("type") ? f.get("type").getAsString() : "";
  }

  private void pause(long millis) {
    try {
      Thread.sleep(millis); // the client's own think time between reconnects, not a wait for a condition
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  /** Collects one connection's text frames in order, then {@link #CLOSED}. */
  private static final class Listener implements WebSocket.Listener {
    final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        frames.add(partial.toString());
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      frames.add(CLOSED);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      frames.add(CLOSED);
    }
  }
}
