package dev.livestate.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.op.Change;
import dev.livestate.op.Json;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One change as the client holds it: key → value, where a Java null deletes the key (a JSON null
 * from another surface is a {@code NullNode}, a value); with {@code reset}, the state is cleared
 * first. Immutable.
 */
record Edit(Map<String, JsonNode> values, boolean reset) {
  Edit {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** Applies this change to {@code state}. */
  void applyTo(Map<String, JsonNode> state) {
    if (reset) {
      state.clear();
    }
    values.forEach((key, value) -> {
      if (value == null) {
        state.remove(key);
      } else {
        state.put(key, value);
      }
    });
  }

  /** The change as a request carries it: values as their JSON text. */
  Change toChange() {
    Map<String, Json> wire = new LinkedHashMap<>();
    values.forEach((key, value) ->
        wire.put(key, value == null ? null : new Json(value.toString())));
    return reset ? new Change.Reset(wire) : new Change.Put(wire);
  }
}
