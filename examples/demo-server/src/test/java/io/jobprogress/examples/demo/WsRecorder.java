package io.jobprogress.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real WebSocket client (java.net.http) that records every text frame into a queue, in order, and the
 * close code and reason; tests read it like a transcript with {@link #next}.
 */
final class WsRecorder implements WebSocket.Listener, AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
  private final CompletableFuture<String> closed = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  private WebSocket socket;

  /** Connects to {@code uri} and waits for the handshake. */
  static WsRecorder connect(URI uri) throws Exception {
    return connect(uri, null);
  }

  /** Connects with {@code Authorization: Bearer token} (when not null) and waits for the handshake. */
  static WsRecorder connect(URI uri, String bearer) throws Exception {
    WsRecorder r = new WsRecorder();
    WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    r.socket = b.buildAsync(uri, r).get(20, TimeUnit.SECONDS);
    return r;
  }

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
    closed.complete(statusCode + " " + reason);
    return null;
  }

  @Override
  public void onError(WebSocket ws, Throwable error) {
    closed.complete("error " + error);
  }

  /** Sends a text frame. */
  void send(String text) throws Exception {
    socket.sendText(text, true).get(10, TimeUnit.SECONDS);
  }

  /** The next frame as JSON (fails after 20 s). */
  JsonObject next() throws InterruptedException {
    String f = frames.poll(20, TimeUnit.SECONDS);
    assertNotNull(f, "no frame within 20 s; closed: " + closed.getNow("no"));
    return JsonParser.parseString(f).getAsJsonObject();
  }

  /** The next frame, asserting its type. */
  JsonObject next(String type) throws InterruptedException {
    JsonObject f = next();
    assertEquals(type, f.get("type").getAsString(), "frame " + f);
    return f;
  }

  /** "code reason" once the server closed (fails after 20 s). */
  String awaitClose() throws Exception {
    return closed.get(20, TimeUnit.SECONDS);
  }

  /** Frames received but not read yet. */
  int pending() {
    return frames.size();
  }

  @Override
  public void close() {
    if (socket != null && !socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null);
    }
  }
}
