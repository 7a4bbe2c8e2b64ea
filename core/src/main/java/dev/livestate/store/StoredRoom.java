package dev.livestate.store;

import dev.livestate.op.Json;
import dev.livestate.op.Op;
import dev.livestate.room.LedgerEntry;
import dev.livestate.room.RoomConfig;
import dev.livestate.state.Entry;
import dev.livestate.stream.StreamMessage;
import java.util.List;
import java.util.Map;

/**
 * A room as a store recovered it. {@code entries} are in the state's key order (see
 * {@link dev.livestate.state.State}), tombstones included, so restoring them one after another
 * rebuilds the state as it was.
 */
public record StoredRoom(
    String name,
    RoomConfig config,
    String epoch,
    long head,
    Map<String, Entry> entries,
    List<Op> recentOps,
    List<StreamMessage> stream,
    Map<String, Json> attributes,
    // the resend ledger: the decisions and forgotten points appended with the ops, in any order
    List<LedgerEntry> ledger) {
  /**
   * This room as of one seq. A store may read a room's head, entries and ops one after another
   * while its owner commits: the entries then reach past the head (their newest seq is the point
   * they show) and the ops, read last, reach past both. So the room is taken at its newest
   * entry's seq, and the ops after it are left to the next read.
   */
  public StoredRoom consistent() {
    long at = head;
    for (Entry e : entries.values()) {
      at = Math.max(at, e.seq());
    }
    long through = at;
    List<Op> ops = recentOps.stream().filter(op -> op.seq() <= through).toList();
    return new StoredRoom(name, config, epoch, through, entries, ops, stream, attributes, ledger);
  }
}
