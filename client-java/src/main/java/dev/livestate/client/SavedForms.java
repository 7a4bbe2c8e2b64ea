package dev.livestate.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.client.storage.Saved;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A room's local state to and from the form {@link dev.livestate.client.storage} keeps. */
final class SavedForms {
  private SavedForms() {}

  static Saved.Room of(LocalState state) {
    List<Saved.Change> pending = new ArrayList<>();
    for (Pending p : state.pending()) {
      Map<String, JsonNode> set = new LinkedHashMap<>();
      List<String> delete = new ArrayList<>();
      p.edit.values().forEach((key, value) -> {
        if (value == null) {
          delete.add(key);
        } else {
          set.put(key, value);
        }
      });
      pending.add(new Saved.Change(p.localSeq, p.baseSeq, p.edit.reset(), set, delete));
    }
    return new Saved.Room(state.epoch(), state.seq(), new LinkedHashMap<>(state.confirmed()),
        pending);
  }

  /**
   * The room as it was saved. Its pending changes go again under their localSeqs, so the room
   * answers any it already decided as it did then; nobody waits on their futures any more.
   */
  static LocalState restore(Saved.Room saved) {
    LocalState state = new LocalState(saved.epoch(), saved.seq(), saved.state());
    for (Saved.Change c : saved.pending()) {
      Map<String, JsonNode> values = new LinkedHashMap<>(c.set());
      c.delete().forEach(key -> values.put(key, null));
      state.pending().add(new Pending(c.localSeq(), c.baseSeq(), new Edit(values, c.reset()),
          new CompletableFuture<>()));
    }
    return state;
  }
}
