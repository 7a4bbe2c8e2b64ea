package dev.livestate.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestate.client.storage.Saved;
import dev.livestate.protocol.Request;
import dev.livestate.protocol.RequestEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A client of a livestate server's native protocol (docs/protocol.md, docs/sdk-java.md): one
 * WebSocket shared by its {@link Room}s, reconnected with backoff whenever it drops, each room then
 * resuming from the last position it saw and sending its pending changes again under the same
 * client id and localSeqs, so none is applied twice.
 *
 * <p>Everything the client does happens on its one thread, in order: listeners and the
 * continuations of its futures run there. Do not block in them (calling a method of the client
 * from them is fine).
 */
public final class LivestateClient implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(LivestateClient.class.getName());
  /** The reply every request still waiting gets when its connection drops. */
  private static final JsonNode OFFLINE = JsonNodeFactory.instance.objectNode()
      .put("type", "error").put("code", "offline").put("message", "the connection dropped");

  private final ClientOptions options;
  private final ObjectMapper json = new ObjectMapper();
  private final ScheduledExecutorService lane;
  private final Thread laneThread;
  private final Map<String, Room> rooms = new LinkedHashMap<>();
  private final Listeners<Status> statusListeners = new Listeners<>();
  /** Rooms saved by an earlier run and not opened in this one: kept as they were. */
  private final Map<String, Saved.Room> savedRooms = new LinkedHashMap<>();
  private final Map<Long, Consumer<JsonNode>> replies = new HashMap<>();
  private String clientId;
  private String resume;
  private long lastLocalSeq;
  private long nextRequestId;
  private Connection connection;
  /** Counts connections, so a retry scheduled for one never acts on the next. */
  private long generation;
  /** Hello answered on the current connection. */
  private boolean welcomed;
  private int failedAttempts;
  private Status status = Status.CONNECTING;
  private boolean saveScheduled;
  private boolean closed;

  /** Starts connecting at once; rooms opened before the connection is up join when it is. */
  public LivestateClient(ClientOptions options) {
    this.options = options;
    Thread[] thread = new Thread[1];
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
      thread[0] = new Thread(r, "livestate-client");
      thread[0].setDaemon(true);
      return thread[0];
    });
    // once closed, no reconnect or retry waiting for its time may run
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.lane = executor;
    onLane(() -> {
      load();
      connect();
      return null;
    });
    this.laneThread = thread[0];
  }

  /** The id this client writes under. */
  public String clientId() {
    return onLane(() -> clientId);
  }

  public Status status() {
    return onLane(() -> status);
  }

  /** Hears each status change. */
  public Runnable onStatus(Consumer<Status> listener) {
    return statusListeners.add(listener);
  }

  /** The room {@code name}, joined with {@code options} (the same object for the same name). */
  public Room room(String name, RoomOptions roomOptions) {
    return onLane(() -> {
      Room room = rooms.get(name);
      if (room == null) {
        Saved.Room saved = savedRooms.remove(name);
        LocalState state =
            saved != null ? SavedForms.restore(saved) : new LocalState(null, 0, Map.of());
        room = new Room(this, name, roomOptions, state);
        rooms.put(name, room);
        if (welcomed) {
          room.session().join();
          status(Status.RESYNCING);
        }
      }
      return room;
    });
  }

  /** Closes the connection and stops the client, saving what it holds first. */
  @Override
  public void close() {
    onLane(() -> {
      closed = true;
      saveNow();
      if (connection != null) {
        connection.close();
      }
      status(Status.OFFLINE);
      return null;
    });
    lane.shutdown();
  }

  // ---- what rooms use, on the lane ----

  ObjectMapper json() {
    return json;
  }

  String clientIdOnLane() {
    return clientId;
  }

  long nextLocalSeq() {
    return ++lastLocalSeq;
  }

  /**
   * Runs {@code work} on the client's thread and answers its result; run at once when already
   * there.
   */
  <T> T onLane(Supplier<T> work) {
    if (Thread.currentThread() == laneThread) {
      return work.get();
    }
    try {
      return CompletableFuture.supplyAsync(work, lane).get();
    } catch (RejectedExecutionException e) {
      throw new IllegalStateException("the client is closed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
  }

  /** Runs {@code work} later on the lane, unless the connection it was meant for is gone. */
  void later(Runnable work, long millis) {
    long meantFor = generation;
    lane.schedule(() -> {
      if (meantFor == generation && welcomed && !closed) {
        work.run();
      }
    }, millis, TimeUnit.MILLISECONDS);
  }

  /**
   * Sends the request {@code build} makes with a fresh id; {@code reply} gets its answer (or an
   * error with code {@code offline} if the connection drops first).
   */
  void send(Function<Object, Request> build, Consumer<JsonNode> reply) {
    if (!welcomed) {
      reply.accept(OFFLINE);
      return;
    }
    long id = ++nextRequestId;
    replies.put(id, reply);
    connection.send(RequestEncoder.encode(build.apply(id)));
  }

  /** A room's join was answered: the client is online once every room's was. */
  void roomSettled() {
    if (welcomed && rooms.values().stream().allMatch(r -> r.session().settled())) {
      status(Status.ONLINE);
    }
  }

  /** Saves soon, once for many events (the room's answers can be read again after a restart). */
  void saveSoon() {
    if (options.storage() != null && !saveScheduled) {
      saveScheduled = true;
      lane.schedule(this::saveNow, 200, TimeUnit.MILLISECONDS);
    }
  }

  // ---- the connection ----

  private void connect() {
    if (closed) {
      return;
    }
    status(Status.CONNECTING);
    long meantFor = ++generation;
    Connection.open(options.http(), options.uri(), lane, this::onText, () -> gone(meantFor))
        // the token is asked for once the socket is open, so none of its life goes to connecting
        .thenCompose(c -> token().thenApplyAsync(t -> {
          hello(meantFor, c, t);
          return c;
        }, lane))
        .exceptionally(failure -> {
          lane.execute(() -> gone(meantFor));
          return null;
        });
  }

  /** A fresh token from the supplier, off the lane (it may block); null in open mode. */
  private CompletableFuture<String> token() {
    Supplier<String> token = options.token();
    return token == null
        ? CompletableFuture.completedFuture(null) : CompletableFuture.supplyAsync(token);
  }

  private void hello(long meantFor, Connection c, String token) {
    if (meantFor != generation || closed) {
      c.close();
      return;
    }
    connection = c;
    long id = ++nextRequestId;
    replies.put(id, this::onWelcome);
    String helloId = token != null && options.clientId() == null ? null : clientId;
    c.send(RequestEncoder.encode(new Request.Hello(id, helloId, token, resume)));
  }

  private void onWelcome(JsonNode reply) {
    if (!"welcome".equals(reply.path("type").asText())) {
      // refused (a bad token, an id held by another): try again later, a token may be fresh then
      LOG.log(Level.WARNING, "livestate refused hello: {0}", reply.path("message").asText());
      if (connection != null) {
        connection.close();
      }
      return;
    }
    welcomed = true;
    failedAttempts = 0;
    clientId = reply.path("clientId").asText();
    if (reply.hasNonNull("resume")) {
      resume = reply.get("resume").asText();
    }
    saveNow();
    if (reply.has("expires")) {
      refreshBefore(reply.get("expires").asLong());
    }
    if (!options.pingInterval().isZero()) {
      later(() -> ping(connection), options.pingInterval().toMillis());
    }
    status(rooms.isEmpty() ? Status.ONLINE : Status.RESYNCING);
    rooms.values().forEach(r -> r.session().join());
  }

  /** Sends a fresh token well before the connection's expires (epoch millis). */
  private void refreshBefore(long expires) {
    long left = expires - System.currentTimeMillis();
    later(() -> token().thenAcceptAsync(
        t -> send(id -> new Request.Refresh(id, t), reply -> {
          if (reply.has("expires")) {
            refreshBefore(reply.get("expires").asLong());
          }
        }), lane), Math.max(0, left - Math.min(60_000, left / 2)));
  }

  /**
   * Pings on {@code pinged}; if the answer has not come by the next ping, the connection is
   * dead though no socket said so: drop it and connect again.
   */
  private void ping(Connection pinged) {
    boolean[] answered = new boolean[1];
    send(id -> new Request.Ping(id), pong -> answered[0] = true);
    later(() -> {
      if (answered[0]) {
        ping(pinged);
      } else {
        LOG.log(Level.INFO, "livestate: no answer to a ping; connecting again");
        pinged.abort();
      }
    }, options.pingInterval().toMillis());
  }

  private void onText(String text) {
    JsonNode message;
    try {
      message = json.readTree(text);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "livestate sent a frame that is not JSON: {0}", e.getMessage());
      return;
    }
    JsonNode id = message.get("id");
    Consumer<JsonNode> reply = id != null && id.canConvertToLong()
        ? replies.remove(id.asLong()) : null;
    if (reply != null) {
      reply.accept(message);
      return;
    }
    Room room = rooms.get(message.path("room").asText());
    if (room != null) {
      room.session().onEvent(message);
    } else if ("error".equals(message.path("type").asText())) {
      LOG.log(Level.WARNING, "livestate: {0}", message.path("message").asText());
    }
  }

  /** The connection {@code meantFor} dropped or never opened: back off, then connect again. */
  private void gone(long meantFor) {
    if (meantFor != generation) {
      return;
    }
    connection = null;
    welcomed = false;
    List<Consumer<JsonNode>> waiting = List.copyOf(replies.values());
    replies.clear();
    rooms.values().forEach(r -> r.session().disconnected());
    waiting.forEach(r -> r.accept(OFFLINE));
    if (closed) {
      return;
    }
    status(Status.OFFLINE);
    long bound = Math.min(options.maxBackoff().toMillis(),
        options.minBackoff().toMillis() << Math.min(failedAttempts++, 20));
    lane.schedule(this::connect, ThreadLocalRandom.current().nextLong(bound + 1),
        TimeUnit.MILLISECONDS);
  }

  private void status(Status next) {
    if (status != next) {
      status = next;
      statusListeners.emit(next);
    }
  }

  // ---- storage ----

  private void load() {
    Saved saved = null;
    if (options.storage() != null) {
      try {
        saved = options.storage().load();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the client's saved state", e);
      }
    }
    if (saved != null
        && (options.clientId() == null || options.clientId().equals(saved.clientId()))) {
      clientId = saved.clientId();
      resume = saved.resume();
      lastLocalSeq = saved.lastLocalSeq();
      savedRooms.putAll(saved.rooms());
    } else {
      clientId = options.clientId() != null ? options.clientId()
          : "j-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    }
  }

  /** Saves now: a change is kept before it is sent. */
  void saveNow() {
    saveScheduled = false;
    if (options.storage() == null) {
      return;
    }
    Map<String, Saved.Room> all = new LinkedHashMap<>(savedRooms);
    rooms.forEach((name, room) -> all.put(name, SavedForms.of(room.localState())));
    try {
      options.storage().save(new Saved(clientId, resume, lastLocalSeq, all));
    } catch (IOException e) {
      LOG.log(Level.ERROR, "livestate could not save the client's state", e);
    }
  }
}
