package dev.livestate.op;

/**
 * An accepted change: the room's {@code seq} for it, who wrote it with what priority, the
 * writer's own number for it, and when the server accepted it (epoch millis).
 */
public record Op(long seq, String writer, long localSeq, int priority, long time, Change change) {}
