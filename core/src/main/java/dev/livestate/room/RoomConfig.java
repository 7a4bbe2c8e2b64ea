package dev.livestate.room;

import dev.livestate.conflict.ConflictPolicy;
import dev.livestate.op.Op;
import java.time.Duration;
import java.util.Objects;

/**
 * How a room behaves. Immutable; {@link #DEFAULT} holds every default in one place.
 *
 * @param policy how conflicting writes are decided
 * @param durable whether ops are committed to the durable store before they are acknowledged
 * @param retainOps how many recent ops are kept for catch-up (older ones: snapshot instead)
 * @param retainAge how long ops are kept for catch-up; zero keeps them regardless of age
 * @param writeAccess who may write while the room has no leader
 * @param takeover what a second leader claim does
 * @param presenceTimeout a presence record not refreshed for this long expires; zero never
 * @param streamTtl how long a stream message lives
 * @param streamLimit how many stream messages a room keeps at most (oldest go first)
 * @param store the name of the store holding this room, or null for the default of its durability
 * @param retainBytes how many bytes of recent ops are kept for catch-up at most, counted roughly
 *     as their keys' and values' text ({@link Op#textSize}); the oldest go first
 */
public record RoomConfig(
    ConflictPolicy policy,
    boolean durable,
    int retainOps,
    Duration retainAge,
    WriteAccess writeAccess,
    Takeover takeover,
    Duration presenceTimeout,
    Duration streamTtl,
    int streamLimit,
    String store,
    long retainBytes) {

  /** The longest duration a config holds: far beyond any use, far within a long of millis. */
  public static final Duration MAX_DURATION = Duration.ofDays(1000L * 365);

  /** The bytes of history a room keeps at most unless its config says otherwise: 64 MiB. */
  public static final long DEFAULT_RETAIN_BYTES = 64L << 20;

  public static final RoomConfig DEFAULT =
      new RoomConfig(
          ConflictPolicy.LAST_WRITER_WINS,
          true,
          10_000,
          Duration.ZERO,
          WriteAccess.WRITERS,
          Takeover.ALLOW,
          Duration.ofSeconds(60),
          Duration.ofDays(7),
          10_000,
          null,
          DEFAULT_RETAIN_BYTES);

  public RoomConfig {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(writeAccess, "writeAccess");
    Objects.requireNonNull(takeover, "takeover");
    Objects.requireNonNull(retainAge, "retainAge");
    Objects.requireNonNull(presenceTimeout, "presenceTimeout");
    Objects.requireNonNull(streamTtl, "streamTtl");
    if (retainOps < 0) {
      throw new IllegalArgumentException("retainOps must be >= 0");
    }
    if (retainBytes < 0) {
      throw new IllegalArgumentException("retainBytes must be >= 0");
    }
    if (streamLimit < 1) {
      throw new IllegalArgumentException("streamLimit must be >= 1");
    }
    if (retainAge.isNegative() || presenceTimeout.isNegative() || streamTtl.isNegative()) {
      throw new IllegalArgumentException("durations must not be negative");
    }
    // a room counts these in milliseconds added to the time now, which must not overflow
    if (retainAge.compareTo(MAX_DURATION) > 0 || presenceTimeout.compareTo(MAX_DURATION) > 0
        || streamTtl.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException("durations must be at most 1000 years");
    }
  }

  /** A config with the default byte bound on history ({@link #DEFAULT_RETAIN_BYTES}). */
  public RoomConfig(ConflictPolicy policy, boolean durable, int retainOps, Duration retainAge,
      WriteAccess writeAccess, Takeover takeover, Duration presenceTimeout, Duration streamTtl,
      int streamLimit, String store) {
    this(policy, durable, retainOps, retainAge, writeAccess, takeover, presenceTimeout, streamTtl,
        streamLimit, store, DEFAULT_RETAIN_BYTES);
  }

  public RoomConfig withPolicy(ConflictPolicy p) {
    return new RoomConfig(p, durable, retainOps, retainAge, writeAccess, takeover,
        presenceTimeout, streamTtl, streamLimit, store, retainBytes);
  }

  public RoomConfig withDurable(boolean d) {
    return new RoomConfig(policy, d, retainOps, retainAge, writeAccess, takeover,
        presenceTimeout, streamTtl, streamLimit, store, retainBytes);
  }

  public RoomConfig withRetention(int ops, Duration age) {
    return new RoomConfig(policy, durable, ops, age, writeAccess, takeover,
        presenceTimeout, streamTtl, streamLimit, store, retainBytes);
  }

  public RoomConfig withWriteAccess(WriteAccess w) {
    return new RoomConfig(policy, durable, retainOps, retainAge, w, takeover,
        presenceTimeout, streamTtl, streamLimit, store, retainBytes);
  }

  public RoomConfig withTakeover(Takeover t) {
    return new RoomConfig(policy, durable, retainOps, retainAge, writeAccess, t,
        presenceTimeout, streamTtl, streamLimit, store, retainBytes);
  }

  public RoomConfig withPresenceTimeout(Duration d) {
    return new RoomConfig(policy, durable, retainOps, retainAge, writeAccess, takeover,
        d, streamTtl, streamLimit, store, retainBytes);
  }

  public RoomConfig withStream(Duration ttl, int limit) {
    return new RoomConfig(policy, durable, retainOps, retainAge, writeAccess, takeover,
        presenceTimeout, ttl, limit, store, retainBytes);
  }

  public RoomConfig withStore(String name) {
    return new RoomConfig(policy, durable, retainOps, retainAge, writeAccess, takeover,
        presenceTimeout, streamTtl, streamLimit, name, retainBytes);
  }

  /** This config keeping at most {@code bytes} of history (see {@code retainBytes}). */
  public RoomConfig withRetainBytes(long bytes) {
    return new RoomConfig(policy, durable, retainOps, retainAge, writeAccess, takeover,
        presenceTimeout, streamTtl, streamLimit, store, bytes);
  }
}
