package dev.livestate.protocol;

import dev.livestate.engine.Joined;
import dev.livestate.op.Json;
import dev.livestate.op.Op;
import dev.livestate.sync.CatchUp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * A joined reply cut into messages a connection can take one after another: a room's snapshot
 * or catch-up can be larger than what a connection may have queued, and one message holding it
 * all would get the client dropped before it could read any of it (docs/protocol.md, "Large
 * rooms"). The joined message holds the first part of the catch-up and {@code "more":true};
 * {@code snapshot-part} messages (for a snapshot) or {@code ops} messages (for a tail) bring the
 * rest, each with {@code more}, false on the last. A part holds at least one value or op, so one
 * larger than the part size goes alone. Each message is encoded only when asked for, so a large
 * room is never held encoded whole.
 */
public final class JoinedParts {
  /** What a value, a key or an op costs beyond its text: quotes, separators, its fields. */
  private static final int OVERHEAD = 64;

  private JoinedParts() {}

  /**
   * The messages of {@code j}, in order; a single one, exactly the plain joined reply, when its
   * catch-up fits in {@code partBytes}.
   */
  public static List<Supplier<byte[]>> of(Object id, String room, Joined j, long partBytes) {
    CatchUp c = j.catchUp();
    if (c instanceof CatchUp.Snapshot s) {
      List<Map<String, Json>> parts = cut(s.values(), partBytes);
      List<Supplier<byte[]>> messages = new ArrayList<>(parts.size());
      messages.add(() -> ServerMessages.joined(id, room,
          with(j, new CatchUp.Snapshot(s.head(), parts.get(0))), parts.size() > 1));
      for (int i = 1; i < parts.size(); i++) {
        Map<String, Json> part = parts.get(i);
        boolean more = i < parts.size() - 1;
        messages.add(() -> ServerMessages.snapshotPart(room, part, more));
      }
      return messages;
    }
    if (c instanceof CatchUp.Tail t) {
      List<List<Op>> parts = cut(t.ops(), partBytes);
      List<Supplier<byte[]>> messages = new ArrayList<>(parts.size());
      messages.add(() -> ServerMessages.joined(id, room,
          with(j, new CatchUp.Tail(t.head(), parts.get(0))), parts.size() > 1));
      for (int i = 1; i < parts.size(); i++) {
        List<Op> part = parts.get(i);
        boolean more = i < parts.size() - 1;
        messages.add(() -> ServerMessages.opsPart(room, part, more));
      }
      return messages;
    }
    return List.of(() -> ServerMessages.joined(id, room, j));
  }

  private static Joined with(Joined j, CatchUp part) {
    return new Joined(part, j.leader(), j.presence(), j.sealed());
  }

  /** The values in order, cut where a part would pass {@code partBytes}; one part at least. */
  static List<Map<String, Json>> cut(Map<String, Json> values, long partBytes) {
    List<Map<String, Json>> parts = new ArrayList<>();
    for (List<Map.Entry<String, Json>> entries : cut(List.copyOf(values.entrySet()),
        e -> cost(e.getKey(), e.getValue()), partBytes)) {
      Map<String, Json> part = new LinkedHashMap<>();
      entries.forEach(e -> part.put(e.getKey(), e.getValue()));
      parts.add(part);
    }
    return parts;
  }

  /** The ops in order, cut as values are. */
  static List<List<Op>> cut(List<Op> ops, long partBytes) {
    return cut(ops, op -> {
      long cost = OVERHEAD + (op.writer() == null ? 0 : op.writer().length());
      for (Map.Entry<String, Json> e : op.change().values().entrySet()) {
        cost += cost(e.getKey(), e.getValue());
      }
      return cost;
    }, partBytes);
  }

  /** {@code items} in order, a new part begun where the last would pass {@code partBytes}. */
  private static <T> List<List<T>> cut(List<T> items, ToLongFunction<T> cost, long partBytes) {
    List<List<T>> parts = new ArrayList<>();
    List<T> part = new ArrayList<>();
    long size = 0;
    for (T item : items) {
      long c = cost.applyAsLong(item);
      if (!part.isEmpty() && size + c > partBytes) {
        parts.add(part);
        part = new ArrayList<>();
        size = 0;
      }
      part.add(item);
      size += c;
    }
    parts.add(part);
    return parts;
  }

  /** Roughly the bytes a key and its value take in a message (characters, not UTF-8 bytes). */
  private static long cost(String key, Json value) {
    return key.length() + (value == null ? 4 : value.text().length()) + OVERHEAD;
  }
}
