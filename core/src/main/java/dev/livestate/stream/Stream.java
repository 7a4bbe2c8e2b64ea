package dev.livestate.stream;

import dev.livestate.op.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * A room's append-only list of timestamped messages, queried by time and expiring by TTL. Holds
 * at most {@code limit} messages (the oldest go first). Not thread-safe: driven from the lane.
 */
public final class Stream {
  private static final Comparator<StreamMessage> BY_TIME =
      Comparator.comparingLong(StreamMessage::time).thenComparingLong(StreamMessage::id);

  private final TreeSet<StreamMessage> messages = new TreeSet<>(BY_TIME);
  private final long ttlMillis;
  private final int limit;
  private long lastId;

  public Stream(long ttlMillis, int limit) {
    this.ttlMillis = ttlMillis;
    this.limit = limit;
  }

  /** Adds a message timed {@code time}; it expires {@code ttl} after {@code now}. */
  public StreamMessage append(long time, Json body, long now) {
    StreamMessage m = new StreamMessage(++lastId, time, now + ttlMillis, body);
    restore(m);
    return m;
  }

  /** Puts back a recovered message. */
  public void restore(StreamMessage m) {
    lastId = Math.max(lastId, m.id());
    messages.add(m);
    while (messages.size() > limit) {
      messages.pollFirst();
    }
  }

  /** Unexpired messages with {@code from <= time <= to}, oldest first. */
  public List<StreamMessage> range(long from, long to, long now) {
    List<StreamMessage> found = new ArrayList<>();
    if (from <= to) {
      StreamMessage low = new StreamMessage(Long.MIN_VALUE, from, 0, Json.NULL);
      StreamMessage high = new StreamMessage(Long.MAX_VALUE, to, 0, Json.NULL);
      for (StreamMessage m : messages.subSet(low, true, high, true)) {
        if (!m.expired(now)) {
          found.add(m);
        }
      }
    }
    return found;
  }

  /** Drops expired messages. */
  public void expire(long now) {
    messages.removeIf(m -> m.expired(now));
  }
}
