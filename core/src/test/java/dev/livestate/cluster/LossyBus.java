package dev.livestate.cluster;

import dev.livestate.engine.Reply;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A node's bus that loses the room messages it receives while {@code loses} says so, as a
 * broken connection to the bus would; everything it sends, and its requests, go through.
 */
final class LossyBus implements Bus {
  private final Bus bus;
  private final Predicate<String> loses;

  /** @param loses asked of each received message's body at the time it arrives */
  LossyBus(Bus bus, Predicate<String> loses) {
    this.bus = bus;
    this.loses = loses;
  }

  @Override
  public String node() {
    return bus.node();
  }

  @Override
  public void publish(String room, String body, Reply<Void> sent) {
    bus.publish(room, body, sent);
  }

  @Override
  public Subscription subscribe(String room, Consumer<Message> handler, Reply<Void> ready) {
    return bus.subscribe(room, m -> {
      if (!loses.test(m.body())) {
        handler.accept(m);
      }
    }, ready);
  }

  @Override
  public void respond(Responder responder, Reply<Void> ready) {
    bus.respond(responder, ready);
  }

  @Override
  public void ask(String to, String body, Duration timeout, Reply<String> answer) {
    bus.ask(to, body, timeout, answer);
  }

  @Override
  public void heartbeat(Duration ttl, Reply<Void> done) {
    bus.heartbeat(ttl, done);
  }

  @Override
  public void leave(Reply<Void> done) {
    bus.leave(done);
  }

  @Override
  public void nodes(Reply<List<String>> nodes) {
    bus.nodes(nodes);
  }

  @Override
  public void close() {
    bus.close();
  }
}
