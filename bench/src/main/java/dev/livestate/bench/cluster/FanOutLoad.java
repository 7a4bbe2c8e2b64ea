package dev.livestate.bench.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.WebSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Recorder;

/**
 * Rooms with one writer each, on one node (room r's on node r mod n), and subscribers spread
 * over every node (subscriber j of each room on node j mod n), native protocol. Every op a
 * subscriber receives is counted and checked against the seqs before it, so a lost or repeated
 * delivery shows; its latency (the writer's send time travels in the op) goes to the same-node
 * or the cross-node histogram.
 */
final class FanOutLoad implements AutoCloseable {
  private final Vertx vertx;
  private final HttpClient http;
  private final BenchCluster cluster;
  private final List<Writer> writers = new ArrayList<>();
  private final List<Subscriber> subscribers = new ArrayList<>();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicReference<String> firstError = new AtomicReference<>();
  final Recorder sameNode = new Recorder(3);
  final Recorder crossNode = new Recorder(3);
  private long timer = -1;

  FanOutLoad(Vertx vertx, HttpClient http, BenchCluster cluster) {
    this.vertx = vertx;
    this.http = http;
    this.cluster = cluster;
  }

  /**
   * Joins every writer (each room is created, and so owned, by its writer's node), checks that
   * ownership, has each writer fill its room with {@code history} ops, then joins every
   * subscriber.
   */
  void connect(int rooms, int subscribersPerRoom, int history) throws Exception {
    CountDownLatch writersJoined = new CountDownLatch(rooms);
    for (int r = 0; r < rooms; r++) {
      Writer w = new Writer(r, r % cluster.size());
      w.ws = await(http.webSocket(cluster.port(w.node), "127.0.0.1", "/ws"));
      w.ws.textMessageHandler(t -> w.answer(t, writersJoined));
      w.ws.writeTextMessage("{\"type\":\"hello\",\"id\":0,\"clientId\":\"writer-" + r
          + "\",\"resume\":\"writer-" + r + "-bench-resume-secret\"}");
      w.ws.writeTextMessage("{\"type\":\"join\",\"id\":1,\"room\":\"" + w.room
          + "\",\"create\":true}");
      writers.add(w);
    }
    awaitLatch(writersJoined, "writers joined");
    checkOwners();
    fill(history);
    CountDownLatch subscribersJoined = new CountDownLatch(rooms * subscribersPerRoom);
    for (Writer w : writers) {
      for (int j = 0; j < subscribersPerRoom; j++) {
        Subscriber s = new Subscriber(w, j % cluster.size());
        WebSocket ws = await(http.webSocket(cluster.port(s.node), "127.0.0.1", "/ws"));
        ws.textMessageHandler(t -> s.receive(t, subscribersJoined));
        ws.writeTextMessage("{\"type\":\"join\",\"id\":1,\"room\":\"" + w.room
            + "\",\"role\":\"reader\",\"create\":true}");
        s.ws = ws;
        subscribers.add(s);
      }
    }
    awaitLatch(subscribersJoined, "subscribers joined");
  }

  private void checkOwners() throws Exception {
    HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(HttpRequest
        .newBuilder(URI.create("http://127.0.0.1:" + cluster.port(0) + "/api/cluster")).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode nodes = new ObjectMapper().readTree(r.body()).path("nodes");
    for (Writer w : writers) {
      String owner = null;
      for (JsonNode n : nodes) {
        for (JsonNode room : n.path("rooms")) {
          if (room.asText().equals(w.room)) {
            owner = n.path("node").asText();
          }
        }
      }
      if (!("node-" + w.node).equals(owner)) {
        throw new IllegalStateException(w.room + " owned by " + owner + ", not by its writer's"
            + " node node-" + w.node + ": " + r.body());
      }
    }
  }

  /**
   * Gives every room {@code history} ops before anyone reads it, 100 changes a submit and one
   * submit in flight per room, so the rooms are measured with the history a long-lived room has
   * (up to its retainOps, 10,000 by default), not the few ops a short run leaves. (Sending all
   * of it at once made a node lose a room's lease on this machine: the room moved mid-fill.)
   */
  private void fill(int history) throws Exception {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (writers.stream().anyMatch(w -> w.sent < history || w.unanswered() > 0)) {
      if (System.nanoTime() > deadline || firstError.get() != null) {
        throw new IllegalStateException("history not written; first error: "
            + firstError.get());
      }
      for (Writer w : writers) {
        if (w.sent < history && w.unanswered() == 0) {
          StringBuilder changes = new StringBuilder();
          for (int i = 0; i < 100 && w.sent < history; i++) {
            long localSeq = ++w.sent;
            changes.append(i == 0 ? "" : ",").append("{\"localSeq\":").append(localSeq)
                .append(",\"baseSeq\":0,\"set\":{\"h\":").append(localSeq).append("}}");
          }
          w.ws.writeTextMessage("{\"type\":\"submit\",\"id\":" + w.sent + ",\"room\":\""
              + w.room + "\",\"changes\":[" + changes + "]}");
        }
      }
      Thread.sleep(1);
    }
  }

  /**
   * Sends {@code opsPerSecond} spread evenly over the rooms, by the wall clock: every 10 ms each
   * writer sends what is due since the start, so a late timer does not lower the offered rate.
   */
  void start(double opsPerSecond) {
    double perRoom = opsPerSecond / writers.size();
    long t0 = System.nanoTime();
    long[] before = writers.stream().mapToLong(w -> w.sent).toArray(); // the history
    timer = vertx.setPeriodic(10, id -> {
      double seconds = (System.nanoTime() - t0) / 1e9;
      for (Writer w : writers) {
        // rooms start a fraction of a period apart so their sends do not all fall on one tick
        long due = before[w.index]
            + (long) (seconds * perRoom + (double) w.index / writers.size());
        while (w.sent < due) {
          w.submit();
        }
      }
    });
  }

  void stop() {
    vertx.cancelTimer(timer);
  }

  long delivered() {
    return delivered.get();
  }

  long sent() {
    return writers.stream().mapToLong(w -> w.sent).sum();
  }

  long rejected() {
    return writers.stream().mapToLong(w -> w.rejected.get()).sum();
  }

  /** The first error message any client was sent, or null. */
  String firstError() {
    return firstError.get();
  }

  /**
   * Waits until every submit is answered and every subscriber has its room's last acked op, or
   * {@code seconds} passed; then the deliveries still missing (not arrived, or skipped in a
   * subscriber's seqs).
   */
  long drain(int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < deadline && missing() > 0) {
      Thread.sleep(50);
    }
    return missing();
  }

  private long missing() {
    long missing = 0;
    for (Writer w : writers) {
      missing += w.unanswered();
    }
    for (Subscriber s : subscribers) {
      missing += Math.max(0, s.writer.head - s.last) + s.skipped;
    }
    return missing;
  }

  /** Deliveries a subscriber got twice, or out of order. */
  long repeated() {
    return subscribers.stream().mapToLong(s -> s.repeated).sum();
  }

  private void error(String text) {
    firstError.compareAndSet(null, text);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private void awaitLatch(CountDownLatch latch, String what) throws Exception {
    if (!latch.await(120, TimeUnit.SECONDS)) {
      throw new IllegalStateException("not all " + what + " (" + latch.getCount()
          + " missing); first error: " + firstError.get());
    }
  }

  @Override
  public void close() {
    stop();
    subscribers.forEach(s -> s.ws.close());
    writers.forEach(w -> w.ws.close());
  }

  private final class Writer {
    final int index;
    final int node;
    final String room;
    final AtomicLong acked = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    /** Changes sent; only the send timer's thread writes it. */
    volatile long sent;
    /** The highest seq acked so far. */
    volatile long head;
    WebSocket ws;

    Writer(int index, int node) {
      this.index = index;
      this.node = node;
      this.room = "fan-" + index;
    }

    long unanswered() {
      return sent - acked.get() - rejected.get();
    }

    void submit() {
      long localSeq = ++sent;
      ws.writeTextMessage("{\"type\":\"submit\",\"id\":" + localSeq + ",\"room\":\"" + room
          + "\",\"changes\":[{\"localSeq\":" + localSeq + ",\"baseSeq\":0,\"set\":{\"v\":{\"t\":"
          + System.nanoTime() + "}}}]}");
    }

    void answer(String t, CountDownLatch joined) {
      if (t.startsWith("{\"type\":\"result\"")) {
        int rejects = t.indexOf("\"rejects\":");
        for (int at = t.indexOf("\"seq\":"); at >= 0 && at < rejects;
            at = t.indexOf("\"seq\":", at + 6)) {
          head = Math.max(head, number(t, at + 6));
          acked.incrementAndGet();
        }
        for (int at = t.indexOf("\"localSeq\":", rejects); at >= 0;
            at = t.indexOf("\"localSeq\":", at + 11)) {
          rejected.incrementAndGet();
          error(t);
        }
      } else if (t.startsWith("{\"type\":\"joined\"")) {
        joined.countDown();
      } else if (t.startsWith("{\"type\":\"error\"")) {
        error(t);
      }
    }
  }

  private final class Subscriber {
    final Writer writer;
    final int node;
    final Recorder latency;
    WebSocket ws;
    /** The last seq received; written only on this subscriber's event loop. */
    volatile long last;
    volatile long skipped;
    volatile long repeated;

    Subscriber(Writer writer, int node) {
      this.writer = writer;
      this.node = node;
      this.latency = node == writer.node ? sameNode : crossNode;
    }

    void receive(String t, CountDownLatch joined) {
      if (!t.startsWith("{\"type\":\"ops\"")) {
        if (t.startsWith("{\"type\":\"joined\"")) {
          last = number(t, t.indexOf("\"seq\":") + 6); // the room's head, in its snapshot
          joined.countDown();
        } else {
          error(t);
        }
        return;
      }
      long now = System.nanoTime();
      int at = 0;
      int ops = 0;
      while ((at = t.indexOf("\"seq\":", at)) >= 0) {
        long seq = number(t, at + 6);
        int sentAt = t.indexOf("\"t\":", at) + 4;
        latency.recordValue(Math.max(0, (now - number(t, sentAt)) / 1000));
        if (seq <= last) {
          repeated++;
        } else {
          skipped += seq - last - 1;
          last = seq;
        }
        ops++;
        at = sentAt;
      }
      delivered.addAndGet(ops);
    }
  }

  /** The (possibly negative) integer written at {@code from}. */
  private static long number(String t, int from) {
    int end = from;
    while (end < t.length() && (Character.isDigit(t.charAt(end)) || t.charAt(end) == '-')) {
      end++;
    }
    return Long.parseLong(t, from, end, 10);
  }
}
