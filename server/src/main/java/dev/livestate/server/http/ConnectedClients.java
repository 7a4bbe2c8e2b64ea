package dev.livestate.server.http;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Who is connected now, across the surfaces, for the operator's console: each surface adds a
 * source that lists its own clients, read only when someone looks.
 */
public final class ConnectedClients {
  /** One connected client as an operator sees it. */
  public record Client(String surface, String clientId, String address, List<String> rooms) {}

  private final List<Supplier<List<Client>>> sources = new CopyOnWriteArrayList<>();

  /** Adds a surface's clients. */
  public void add(Supplier<List<Client>> source) {
    sources.add(source);
  }

  /** Every client connected now, surface by surface. */
  public List<Client> all() {
    List<Client> all = new ArrayList<>();
    sources.forEach(s -> all.addAll(s.get()));
    return all;
  }
}
