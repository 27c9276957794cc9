package io.jobprogress.jakarta.ws.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client on {@code java.net.http} that records every text frame into a queue, so tests read
 * like transcripts: {@code assertFrame("connected")}, {@code assertFrame("subscribed")}, ...,
 * {@code assertNoMoreFrames()}. Records the close code and reason too. Thread-safe.
 */
public final class RecordingClient implements WebSocket.Listener, AutoCloseable {
  /** How long {@link #assertFrame} waits for the next frame. */
  public static final Duration WAIT = Duration.ofSeconds(10);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** A close as received: code and reason. */
  public record Close(int code, String reason) {}

  private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
  private final CompletableFuture<Close> closed = new CompletableFuture<>();
  private final BlockingQueue<ByteBuffer> pongs = new LinkedBlockingQueue<>();
  private final StringBuilder partial = new StringBuilder();
  private volatile WebSocket webSocket;
  private volatile boolean reading = true;

  private RecordingClient() {}

  /** Connects to {@code uri} (for example {@code ws://127.0.0.1:8080/ws?token=...}). */
  public static RecordingClient connect(URI uri) {
    return connect(uri, Map.of());
  }

  /** Connects with extra handshake headers (e.g. {@code Authorization}, {@code Origin}). */
  public static RecordingClient connect(URI uri, Map<String, String> headers) {
    return connect(uri, headers, java.util.List.of());
  }

  /** Connects offering {@code subprotocols} ({@code Sec-WebSocket-Protocol}, most preferred first). */
  public static RecordingClient connect(URI uri, Map<String, String> headers, java.util.List<String> subprotocols) {
    RecordingClient client = new RecordingClient();
    WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(WAIT);
    headers.forEach(b::header);
    if (!subprotocols.isEmpty()) {
      b.subprotocols(subprotocols.get(0), subprotocols.subList(1, subprotocols.size()).toArray(String[]::new));
    }
    client.webSocket = b.buildAsync(uri, client).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    return client;
  }

  /**
   * Starts connecting to {@code uri} and returns at once, so many handshakes can be in flight together;
   * the future fails when the handshake does not complete within {@link #WAIT}.
   */
  public static CompletableFuture<RecordingClient> connectAsync(URI uri) {
    RecordingClient client = new RecordingClient();
    return HTTP.newWebSocketBuilder().connectTimeout(WAIT).buildAsync(uri, client)
        .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS)
        .thenApply(ws -> {
          client.webSocket = ws;
          return client;
        });
  }

  @Override
  public void onOpen(WebSocket ws) {
    ws.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    synchronized (partial) {
      partial.append(data);
      if (last) {
        frames.add(partial.toString());
        partial.setLength(0);
      }
    }
    if (reading) {
      ws.request(1);
    }
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
    closed.complete(new Close(statusCode, reason));
    return null;
  }

  @Override
  public void onError(WebSocket ws, Throwable error) {
    closed.completeExceptionally(error);
  }

  /** Sends one text frame. */
  public RecordingClient send(String text) {
    webSocket.sendText(text, true).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    return this;
  }

  /**
   * Sends one text frame that the server may refuse by closing (a frame over the library's size limit,
   * which the library sees only once it has been read whole): a failed send is not an error here; assert
   * the close instead.
   */
  public void sendExpectingClose(String text) {
    webSocket.sendText(text, true).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS)
        .exceptionally(e -> null).join();
  }

  /** Sends {@code {"type":"subscribe","data":{"jobId":jobId}}}. */
  public RecordingClient subscribe(String jobId) {
    return send("{\"type\":\"subscribe\",\"data\":{\"jobId\":\"" + jobId + "\"}}");
  }

  /** Sends {@code {"type":"unsubscribe","data":{"jobId":jobId}}}. */
  public RecordingClient unsubscribe(String jobId) {
    return send("{\"type\":\"unsubscribe\",\"data\":{\"jobId\":\"" + jobId + "\"}}");
  }

  /** Sends a ping and asserts that the next frame is the pong: a barrier proving nothing came before. */
  public void assertPingAnswered() {
    send("{\"type\":\"ping\"}");
    assertFrame("pong");
  }

  /** Stops asking for frames: the client stalls, as a tab that stopped reading. */
  public void stopReading() {
    reading = false;
  }

  /** The next frame, waiting up to {@link #WAIT}; fails when none comes. */
  public JsonObject nextFrame() {
    try {
      String text = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertNotNull(text, "no frame within " + WAIT + (closed.isDone() ? "; closed: " + closed.getNow(null) : ""));
      return JsonParser.parseString(text).getAsJsonObject();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Asserts the next frame has {@code type} and returns it. */
  public JsonObject assertFrame(String type) {
    JsonObject frame = nextFrame();
    assertEquals(type, frame.get("type").getAsString(), () -> "unexpected frame " + frame);
    return frame;
  }

  /** Asserts the next frame is a progress frame of {@code jobId} with {@code status}, and returns it. */
  public JsonObject assertProgress(String jobId, String status) {
    JsonObject frame = assertFrame("progress");
    assertEquals(jobId, frame.get("jobId").getAsString(), () -> "unexpected frame " + frame);
    assertEquals(status, frame.get("status").getAsString(), () -> "unexpected frame " + frame);
    return frame;
  }

  /** Asserts the next frame is an error frame and returns it. */
  public JsonObject assertError() {
    JsonObject frame = assertFrame("error");
    assertNotNull(frame.get("error"), () -> "error frame without error text: " + frame);
    return frame;
  }

  /** Asserts that no frame is waiting right now (use after a ping barrier or a close). */
  public void assertNoMoreFrames() {
    String left = frames.poll();
    assertNull(left, () -> "unexpected frame " + left);
  }

  /** Frames received and not yet taken. */
  public int pendingFrames() {
    return frames.size();
  }

  /** Takes every frame received so far, oldest first. */
  public java.util.List<JsonObject> drain() {
    java.util.List<String> texts = new java.util.ArrayList<>();
    frames.drainTo(texts);
    return texts.stream().map(t -> JsonParser.parseString(t).getAsJsonObject()).toList();
  }

  /**
   * Waits for the server's close and returns it. Only for a client that is not writing when the server
   * closes: after a write fails on a connection the server reset (Jetty and Tyrus drop the TCP connection
   * right after their close frame), the JDK client fails its reading side too and never delivers the close
   * frame it already received; use a {@link RawWebSocketClient} for a client that keeps writing.
   */
  public Close awaitClose() {
    try {
      return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      return fail("no close within " + WAIT + ": " + e);
    }
  }

  /** The subprotocol the server selected; "" when none. */
  public String subprotocol() {
    return webSocket.getSubprotocol();
  }

  /** Whether the connection closed (either side). */
  public boolean isClosed() {
    return closed.isDone() || webSocket.isInputClosed();
  }

  /** Closes normally (idempotent) without waiting for the server's answer. */
  @Override
  public void close() {
    if (!webSocket.isOutputClosed()) {
      webSocket.sendClose(1000, "bye");
    }
    webSocket.abort();
  }

  /** Sends {@code text} as a text message in one frame per part (the first and continuations). */
  public RecordingClient sendFragmented(String... parts) {
    for (int i = 0; i < parts.length; i++) {
      webSocket.sendText(parts[i], i == parts.length - 1).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }
    return this;
  }

  /** Sends a WebSocket PING control frame and asserts that a PONG with the same payload comes back. */
  public void assertControlPingAnswered(String payload) {
    byte[] bytes = payload.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    webSocket.sendPing(ByteBuffer.wrap(bytes)).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    try {
      ByteBuffer pong = pongs.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (pong == null) {
        fail("no pong within " + WAIT);
      }
      assertEquals(ByteBuffer.wrap(bytes), pong, "the pong's payload");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("interrupted");
    }
  }

  @Override
  public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
    ByteBuffer copy = ByteBuffer.allocate(message.remaining());
    copy.put(message).flip();
    pongs.add(copy);
    ws.request(1);
    return null;
  }

  /** Unused binary frames are ignored. */
  @Override
  public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
    ws.request(1);
    return null;
  }
}
