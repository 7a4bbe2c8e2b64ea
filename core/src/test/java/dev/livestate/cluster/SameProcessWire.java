package dev.livestate.cluster;

import dev.livestate.engine.Peers;
import dev.livestate.engine.RoomRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link RequestWire} for nodes in one process: the text is a ticket for the object itself. */
final class SameProcessWire implements RequestWire {
  private final Map<String, Object> parcels = new ConcurrentHashMap<>();
  private final AtomicLong tickets = new AtomicLong();

  private String send(Object parcel) {
    String ticket = Long.toString(tickets.incrementAndGet());
    parcels.put(ticket, parcel);
    return ticket;
  }

  @Override
  public String request(String room, RoomRequest<?> request) {
    return send(new Addressed<>(room, request));
  }

  @Override
  public Addressed<?> parseRequest(String text) {
    return (Addressed<?>) parcels.remove(text);
  }

  @Override
  public <A> String answer(RoomRequest<A> request, A answer) {
    // a void answer is null: the ticket stands for "answered, with nothing"
    return send(answer == null ? NOTHING : answer);
  }

  @SuppressWarnings("unchecked")
  @Override
  public <A> A parseAnswer(RoomRequest<A> request, String text) {
    Object answer = parcels.remove(text);
    return answer == NOTHING ? null : (A) answer;
  }

  @Override
  public String told(Peers.Told told) {
    return send(told);
  }

  @Override
  public Peers.Told parseTold(String node, String text) {
    // every receiving node reads it: the ticket stays
    Peers.Told t = (Peers.Told) parcels.get(text);
    return new Peers.Told(node, t.holding(), t.number(), t.at(), t.event());
  }

  private static final Object NOTHING = new Object();
}
