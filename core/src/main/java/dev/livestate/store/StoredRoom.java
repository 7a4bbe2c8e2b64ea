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
    List<LedgerEntry> ledger) {}
