package dev.livestate.room;

import dev.livestate.sync.Outcome;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The decided outcomes of each client's recent proposals, by (clientId, localSeq), so a resent
 * change gets its original answer instead of being applied twice. Bounded per client.
 */
final class Ledger {
  private final int perClient;
  private final Map<String, Map<Long, Outcome>> byClient = new HashMap<>();

  Ledger(int perClient) {
    this.perClient = perClient;
  }

  Outcome find(String clientId, long localSeq) {
    Map<Long, Outcome> decided = byClient.get(clientId);
    return decided == null ? null : decided.get(localSeq);
  }

  void record(String clientId, Outcome outcome) {
    byClient
        .computeIfAbsent(clientId, id -> new LinkedHashMap<>(16, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Long, Outcome> eldest) {
            return size() > perClient;
          }
        })
        .put(outcome.localSeq(), outcome);
  }
}
