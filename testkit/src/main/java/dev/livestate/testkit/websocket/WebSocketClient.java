package dev.livestate.testkit.websocket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A real WebSocket client (the JDK's) for tests, of any protocol. It keeps every text frame the
 * server sends, in arrival order and with its arrival time, and lets a test wait for one in two
 * ways:
 * <ul>
 *   <li><b>take</b> the next frame that matches ({@link #await}, {@link #next},
 *       {@link #nextText}): each frame is taken at most once, so request after request each
 *       gets its own answer;
 *   <li><b>find</b> the first match at or after a position ({@link #awaitFrom}): {@link #count()}
 *       before an action marks where its answers start; nothing is taken.
 * </ul>
 * Frames are read as text, or as JSON where the protocol is JSON (a frame that is not JSON is
 * skipped by the JSON reads). Every wait gives up after {@link #WAIT} and fails the test, naming
 * what had arrived. Sends queue up behind each other, so a {@link FrameHook} may answer from the
 * receiving thread while the test sends. Thread-safe.
 */
public final class WebSocketClient implements AutoCloseable {
  /** How long a wait lasts before it fails the test. */
  public static final Duration WAIT = Duration.ofSeconds(15);
  /** What {@link #awaitClose} reports for a connection that ended without a close frame. */
  public static final int DROPPED = -1;

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Runs on the receiving thread for each text frame, before it is kept; must not block. */
  @FunctionalInterface
  public interface FrameHook {
    void received(WebSocketClient client, String text);
  }

  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final String url;
  private final ReceivedFrames received;
  private volatile WebSocket socket;
  private volatile long openedAt;
  private volatile long closedAt;
  private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);

  private WebSocketClient(String url) {
    this.url = url;
    this.received = new ReceivedFrames(url, WAIT);
  }

  /**
   * Opens a WebSocket to {@code url} ({@code ws://host:port/path?query}). A refused upgrade throws
   * the {@link java.util.concurrent.ExecutionException} the JDK's client fails with.
   */
  public static WebSocketClient connect(String url) throws Exception {
    return connect(url, (client, text) -> { });
  }

  /** Opens a WebSocket to {@code url}; {@code hook} sees each text frame as it arrives. */
  public static WebSocketClient connect(String url, FrameHook hook) throws Exception {
    return open(url, hook);
  }

  /**
   * Opens a WebSocket to {@code url} with these upgrade request headers, names and values in
   * turns (such as the {@code X-Forwarded-For} a proxy would add).
   */
  public static WebSocketClient connectWithHeaders(String url, String... headers)
      throws Exception {
    return open(url, (client, text) -> { }, headers);
  }

  private static WebSocketClient open(String url, FrameHook hook, String... headers)
      throws Exception {
    WebSocketClient client = new WebSocketClient(url);
    WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      builder.header(headers[i], headers[i + 1]);
    }
    builder.buildAsync(URI.create(url), client.listener(hook)).get(10, TimeUnit.SECONDS);
    return client;
  }

  private WebSocket.Listener listener(FrameHook hook) {
    return new WebSocket.Listener() {
      private final StringBuilder partial = new StringBuilder();

      @Override
      public void onOpen(WebSocket ws) {
        socket = ws;
        openedAt = System.nanoTime();
        ws.request(1);
      }

      @Override
      public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
          String text = partial.toString();
          partial.setLength(0);
          long at = System.nanoTime();
          hook.received(WebSocketClient.this, text);
          received.add(text, at);
        }
        ws.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
        ended(code);
        return null;
      }

      @Override
      public void onError(WebSocket ws, Throwable error) {
        ended(DROPPED);
      }
    };
  }

  private void ended(int code) {
    closedAt = System.nanoTime();
    closed.complete(code);
    received.ended(code == DROPPED ? "dropped" : "closed with " + code);
  }

  // ---- sending

  /** Sends a text frame and waits until it is sent. */
  public WebSocketClient send(String text) {
    return sent(sendLater(text));
  }

  /** Sends {@code message} written as JSON (a map, a list, a {@link JsonNode}, a record...). */
  public WebSocketClient send(Object message) {
    try {
      return send(JSON.writeValueAsString(message));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not writable as JSON: " + message, e);
    }
  }

  /** Queues a text frame behind the sends before it, without waiting: for a {@link FrameHook}. */
  public CompletableFuture<?> sendLater(String text) {
    return queue(ws -> ws.sendText(text, true));
  }

  /** Sends a binary frame and waits until it is sent. */
  public WebSocketClient sendBinary(byte[] bytes) {
    return sent(queue(ws -> ws.sendBinary(ByteBuffer.wrap(bytes), true)));
  }

  /** Sends a close frame with this code and reason and waits until it is sent. */
  public WebSocketClient sendClose(int code, String reason) {
    return sent(queue(ws -> ws.sendClose(code, reason)));
  }

  /** The JDK's WebSocket takes one send at a time: each waits for the one before. */
  private synchronized CompletableFuture<?> queue(Function<WebSocket, CompletableFuture<?>> send) {
    WebSocket ws = socket;
    sending = sending.exceptionally(failure -> null).thenCompose(done -> send.apply(ws));
    return sending;
  }

  private WebSocketClient sent(CompletableFuture<?> send) {
    try {
      send.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("could not send to " + url + ": " + e, e);
    }
    return this;
  }

  // ---- receiving: take the next match

  /** Takes the next not yet taken text frame matching {@code test}, waiting for it. */
  public String nextText(Predicate<String> test) {
    return received.nextText(test);
  }

  /** Takes the next not yet taken JSON message matching {@code test}, waiting for it. */
  public JsonNode await(Predicate<JsonNode> test) {
    return await(test, WAIT.toMillis());
  }

  /** As {@link #await(Predicate)}, failing when it has not come within {@code timeoutMillis}. */
  public JsonNode await(Predicate<JsonNode> test, long timeoutMillis) {
    return received.await(test, timeoutMillis);
  }

  /** Takes the next not yet taken JSON message, whatever it is, waiting for it. */
  public JsonNode next() {
    return await(message -> true);
  }

  /** Takes the next message whose {@code type} field is {@code type}, waiting for it. */
  public JsonNode awaitType(String type) {
    return await(message -> type.equals(message.path("type").asText()));
  }

  /** Takes the next not yet taken JSON message if one is here, else null; does not wait. */
  public JsonNode poll() {
    return received.poll();
  }

  /** Every JSON message received and not yet taken, in order. */
  public List<JsonNode> all() {
    return received.notTaken();
  }

  // ---- receiving: find by position

  /** How many text frames have arrived: the position the next one will have. */
  public int count() {
    return received.count();
  }

  /** Every text frame received, taken or not, in order. */
  public List<String> texts() {
    return received.texts();
  }

  /** Every JSON message received, taken or not, in order; the same objects on every call. */
  public List<JsonNode> messages() {
    return received.messages();
  }

  /**
   * The first JSON message at position {@code from} or later (counted in frames, as
   * {@link #count()} does) that matches {@code test}, waiting for it; nothing is taken.
   */
  public JsonNode awaitFrom(int from, Predicate<JsonNode> test) {
    return received.awaitFrom(from, test);
  }

  /**
   * Waits until {@code look}, given every JSON message received so far (as {@link #messages()}),
   * finds what it looks for, and returns it: for waits a protocol counts its own way.
   */
  public <T> T awaitMessages(Function<List<JsonNode>, T> look) {
    return received.awaitMessages(look);
  }

  /** When {@code message} (one this client returned) arrived, by {@link System#nanoTime}. */
  public long arrivedAt(JsonNode message) {
    return received.arrivedAt(message);
  }

  // ---- closing

  /** The server's close code once the connection ends ({@link #DROPPED}: without a close frame). */
  public int awaitClose(long timeoutMillis) throws Exception {
    return closed.get(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  public boolean isOpen() {
    return !closed.isDone();
  }

  /** When the handshake completed, by {@link System#nanoTime}. */
  public long openedAt() {
    return openedAt;
  }

  /** When the connection ended, by {@link System#nanoTime}; 0 while it is open. */
  public long closedAt() {
    return closedAt;
  }

  /** Drops the connection without a close frame, as a client that vanished would. */
  public void abort() {
    socket.abort();
  }

  /** Says goodbye with a normal close frame, if the connection is still open. */
  @Override
  public void close() {
    if (closed.isDone()) {
      return;
    }
    try {
      sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    } catch (AssertionError e) {
      abort();
    }
  }

  @Override
  public String toString() {
    return "WebSocketClient[" + url + (isOpen() ? "" : ", closed") + "]";
  }
}
