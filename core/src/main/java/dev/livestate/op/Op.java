package dev.livestate.op;

/**
 * An accepted change: the room's {@code seq} for it, who wrote it with what priority, the
 * writer's own number for it, and when the server accepted it (epoch millis).
 */
public record Op(long seq, String writer, long localSeq, int priority, long time, Change change) {
  /** What an op costs beyond its keys and values: its numbers, its writer, a map's entry. */
  static final int OVERHEAD = 100;

  /**
   * Roughly the bytes this op holds: the characters of its keys and values, and a fixed part.
   * What a room's history is bounded by (a room config's {@code retainBytes}).
   */
  public long textSize() {
    long size = OVERHEAD + (writer == null ? 0 : writer.length());
    for (var e : change.values().entrySet()) {
      size += e.getKey().length() + (e.getValue() == null ? 0 : e.getValue().text().length());
    }
    return size;
  }
}
