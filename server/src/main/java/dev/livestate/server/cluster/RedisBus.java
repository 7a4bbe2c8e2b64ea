package dev.livestate.server.cluster;

import dev.livestate.cluster.Bus;
import dev.livestate.engine.Reply;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Bus} on Redis: a room's messages go over the PUB/SUB channel {@code
 * <prefix>room:<room>}, each carrying its node's name before a newline, so a node drops its own;
 * membership is the sorted set {@code <prefix>nodes}, each node scored by when its heartbeat
 * runs out. Publishing and the other commands share one connection (so one node's messages keep
 * their order); subscriptions have their own, since Redis gives a subscribing connection to
 * nothing else. PUB/SUB is at most once: what is published while a node's subscribing
 * connection is down is lost to it, and the node resubscribes when Redis is back.
 *
 * <p>Requests and their answers travel on the asked and the asking node's own channel, {@code
 * <prefix>node:<node>}, as a kind ({@code ?} a request, {@code =} an answer, {@code !} a
 * failure), the sending node, the request's id and the body, one per line; a request nobody
 * listens to fails at once, one that gets no answer in time fails when its time runs out.
 */
public final class RedisBus implements Bus {
  private static final Logger LOG = LoggerFactory.getLogger(RedisBus.class);

  private final String node;
  private final String prefix;
  private final RedisLink commands;
  private final RedisLink subscriber;
  /** Each subscribed channel's handlers on this node. */
  private final Map<String, List<Handler>> channels = new ConcurrentHashMap<>();
  private final Vertx vertx;
  private final String nodeChannel;
  private volatile Responder responder;
  /** This node's requests waiting for an answer, by id. */
  private final Map<Long, Asked> asked = new ConcurrentHashMap<>();
  private final AtomicLong requestIds = new AtomicLong();

  private record Asked(Reply<String> reply, long timer) {}

  private final class Handler implements Subscription {
    final String channel;
    final Consumer<Message> consumer;

    Handler(String channel, Consumer<Message> consumer) {
      this.channel = channel;
      this.consumer = consumer;
    }

    @Override
    public void cancel() {
      List<Handler> of = channels.get(channel);
      if (of != null && of.remove(this) && of.isEmpty()
          && channels.remove(channel, of)) {
        subscriber.send(Request.cmd(Command.UNSUBSCRIBE).arg(channel));
      }
    }
  }

  /**
   * @param prefix starts every key and channel name, so several clusters (or test runs) can
   *     share one Redis
   */
  public RedisBus(Vertx vertx, Redis client, String prefix, String node) {
    if (node.isEmpty() || node.contains("\n")) {
      throw new IllegalArgumentException("a node name must be one line, not empty: '" + node + "'");
    }
    this.node = node;
    this.prefix = prefix;
    this.vertx = vertx;
    this.nodeChannel = prefix + "node:" + node;
    this.commands = new RedisLink(vertx, client, node + " commands", r -> { }, () -> { });
    this.subscriber = new RedisLink(vertx, client, node + " subscriptions", this::pushed,
        this::resubscribe);
  }

  @Override
  public String node() {
    return node;
  }

  private String channel(String room) {
    return prefix + "room:" + room;
  }

  private String nodesKey() {
    return prefix + "nodes";
  }

  @Override
  public void publish(String room, String body, Reply<Void> sent) {
    answer(commands.send(Request.cmd(Command.PUBLISH).arg(channel(room)).arg(node + "\n" + body)),
        r -> null, sent);
  }

  @Override
  public Subscription subscribe(String room, Consumer<Message> consumer, Reply<Void> ready) {
    String channel = channel(room);
    Handler h = new Handler(channel, consumer);
    channels.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(h);
    // a channel already subscribed is asked again: the reply says the subscription is in place
    answer(subscriber.send(Request.cmd(Command.SUBSCRIBE).arg(channel)), r -> null, ready);
    return h;
  }

  private void resubscribe() {
    Request again = Request.cmd(Command.SUBSCRIBE).arg(nodeChannel);
    channels.keySet().forEach(again::arg);
    subscriber.send(again).onFailure(e -> LOG.warn("subscribing again failed: {}", e.toString()));
  }

  /** A message from Redis: {@code message}, the channel, then the node and body. */
  private void pushed(Response push) {
    if ((push.type() != ResponseType.PUSH && push.type() != ResponseType.MULTI)
        || push.size() != 3 || !"message".equals(push.get(0).toString())) {
      return;
    }
    String channel = push.get(1).toString();
    String payload = push.get(2).toString();
    if (channel.equals(nodeChannel)) {
      addressed(payload);
      return;
    }
    List<Handler> handlers = channels.get(channel);
    int newline = payload.indexOf('\n');
    if (handlers == null || newline < 0) {
      return;
    }
    String from = payload.substring(0, newline);
    if (from.equals(node)) {
      return;
    }
    Message m = new Message(from, channel.substring((prefix + "room:").length()),
        payload.substring(newline + 1));
    for (Handler h : handlers) {
      try {
        h.consumer.accept(m);
      } catch (RuntimeException e) {
        LOG.warn("a handler of {} failed", channel, e);
      }
    }
  }

  @Override
  public void respond(Responder responder, Reply<Void> ready) {
    this.responder = responder;
    answer(subscriber.send(Request.cmd(Command.SUBSCRIBE).arg(nodeChannel)), r -> null, ready);
  }

  @Override
  public void ask(String to, String body, Duration timeout, Reply<String> answer) {
    long id = requestIds.incrementAndGet();
    long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), t -> answered(id, null,
        new TimeoutException("node " + to + " did not answer within " + timeout.toMillis()
            + " ms")));
    asked.put(id, new Asked(answer, timer));
    commands.send(Request.cmd(Command.PUBLISH).arg(prefix + "node:" + to)
        .arg("?\n" + node + "\n" + id + "\n" + body)).onComplete(sent -> {
          if (sent.failed()) {
            answered(id, null, sent.cause());
          } else if (sent.result().toLong() == 0) {
            answered(id, null, new IllegalStateException("node " + to + " is not listening"));
          }
        });
  }

  private void answered(long id, String answer, Throwable failure) {
    Asked a = asked.remove(id);
    if (a != null) {
      vertx.cancelTimer(a.timer());
      a.reply().done(answer, failure);
    }
  }

  /** A request to this node, or an answer to one of its own: kind, node, id, body. */
  private void addressed(String payload) {
    String[] parts = payload.split("\n", 4);
    if (parts.length != 4) {
      return;
    }
    long id;
    try {
      id = Long.parseLong(parts[2]);
    } catch (NumberFormatException e) {
      return;
    }
    String from = parts[1];
    switch (parts[0]) {
      case "=" -> answered(id, parts[3], null);
      case "!" -> answered(id, null, new IllegalStateException(parts[3]));
      case "?" -> {
        Responder r = responder;
        if (r == null) {
          return; // the asker's time runs out
        }
        r.answer(from, parts[3], (a, f) -> commands.send(Request.cmd(Command.PUBLISH)
            .arg(prefix + "node:" + from).arg((f == null ? "=" : "!") + "\n" + node + "\n" + id
                + "\n" + (f == null ? a : String.valueOf(f.getMessage())))));
      }
      default -> { }
    }
  }

  @Override
  public void heartbeat(Duration ttl, Reply<Void> done) {
    long now = System.currentTimeMillis();
    commands.send(Request.cmd(Command.ZREMRANGEBYSCORE).arg(nodesKey()).arg("-inf").arg(now));
    answer(commands.send(Request.cmd(Command.ZADD).arg(nodesKey()).arg(now + ttl.toMillis())
        .arg(node)), r -> null, done);
  }

  @Override
  public void leave(Reply<Void> done) {
    answer(commands.send(Request.cmd(Command.ZREM).arg(nodesKey()).arg(node)), r -> null, done);
  }

  @Override
  public void nodes(Reply<List<String>> nodes) {
    answer(commands.send(Request.cmd(Command.ZRANGEBYSCORE).arg(nodesKey())
        .arg("(" + System.currentTimeMillis()).arg("+inf")), r -> {
          List<String> names = new ArrayList<>();
          r.forEach(n -> names.add(n.toString()));
          names.sort(null);
          return names;
        }, nodes);
  }

  /** Whether both connections to Redis are up (for health checks). */
  public boolean connected() {
    return commands.up() && subscriber.up();
  }

  @Override
  public void close() {
    channels.clear();
    asked.clear();
    subscriber.close();
    commands.close();
  }

  /** Tells {@code reply} of {@code sent}'s outcome, its response read by {@code read}. */
  static <T> void answer(Future<Response> sent, java.util.function.Function<Response, T> read,
      Reply<T> reply) {
    sent.onComplete(r -> {
      if (r.failed()) {
        reply.done(null, r.cause());
        return;
      }
      T value;
      try {
        value = read.apply(r.result());
      } catch (RuntimeException e) {
        reply.done(null, e);
        return;
      }
      reply.done(value, null);
    });
  }
}
