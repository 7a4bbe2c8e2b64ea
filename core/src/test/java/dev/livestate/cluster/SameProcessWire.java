package dev.livestate.cluster;

import dev.livestate.engine.Peers;
import dev.livestate.sync.Outcome;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link SubmitWire} for nodes in one process: the text is a ticket for the object itself. */
final class SameProcessWire implements SubmitWire {
  private final Map<String, Object> parcels = new ConcurrentHashMap<>();
  private final AtomicLong tickets = new AtomicLong();

  private String send(Object parcel) {
    String ticket = Long.toString(tickets.incrementAndGet());
    parcels.put(ticket, parcel);
    return ticket;
  }

  @Override
  public String request(String room, Peers.Submit submit) {
    return send(new Addressed(room, submit));
  }

  @Override
  public Addressed parseRequest(String text) {
    return (Addressed) parcels.remove(text);
  }

  @Override
  public String answer(List<Outcome> outcomes) {
    return send(outcomes);
  }

  @SuppressWarnings("unchecked")
  @Override
  public List<Outcome> parseAnswer(String text) {
    return (List<Outcome>) parcels.remove(text);
  }
}
