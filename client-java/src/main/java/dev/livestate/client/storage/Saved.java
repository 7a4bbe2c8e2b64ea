package dev.livestate.client.storage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * A client's state between runs.
 *
 * @param clientId the id it writes under: a resend is idempotent only under the same id
 * @param resume the secret the server issued to hold {@code clientId} (open mode), or null
 * @param lastLocalSeq the last localSeq it numbered a change with
 * @param rooms each room's position, state and pending changes, by room name
 */
public record Saved(String clientId, String resume, long lastLocalSeq, Map<String, Room> rooms) {

  /**
   * A room as the client last saw it: the state the server confirmed at {@code (epoch, seq)}
   * ({@code epoch} null before the first join), then this client's changes the state does not
   * hold yet, in order.
   */
  public record Room(String epoch, long seq, Map<String, JsonNode> state, List<Change> pending) {}

  /**
   * A pending change: values in {@code set}, deleted keys in {@code delete}; with {@code reset},
   * the state is cleared first.
   */
  public record Change(long localSeq, long baseSeq, boolean reset, Map<String, JsonNode> set,
      List<String> delete) {}
}
