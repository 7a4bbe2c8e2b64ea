package dev.livestate.server.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestate.cluster.SubmitWire;
import dev.livestate.engine.Peers;
import dev.livestate.op.Change;
import dev.livestate.op.Json;
import dev.livestate.op.Proposal;
import dev.livestate.room.Role;
import dev.livestate.room.Writer;
import dev.livestate.state.Entry;
import dev.livestate.sync.Outcome;
import dev.livestate.sync.Rejection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Submits and outcomes as JSON between nodes (decision 023). A value travels as a JSON string
 * holding its text, and a deleted key (or a tombstone) as JSON null, so a value reaches the
 * owner character for character and keys keep their order.
 */
final class JsonSubmitWire implements SubmitWire {
  private final ObjectMapper mapper = new ObjectMapper();

  @Override
  public String request(String room, Peers.Submit submit) {
    ObjectNode o = mapper.createObjectNode();
    Writer w = submit.writer();
    o.put("room", room).put("client", w.clientId()).put("role", w.role().name())
        .put("priority", w.priority()).put("seenThrough", submit.seenThrough());
    ArrayNode proposals = o.putArray("proposals");
    for (Proposal p : submit.proposals()) {
      ObjectNode po = proposals.addObject().put("localSeq", p.localSeq())
          .put("baseSeq", p.baseSeq()).put("reset", p.change() instanceof Change.Reset);
      ArrayNode values = po.putArray("values");
      p.change().values().forEach((key, value) ->
          values.addArray().add(key).add(value == null ? null : value.text()));
    }
    return o.toString();
  }

  @Override
  public Addressed parseRequest(String text) {
    JsonNode o = tree(text);
    List<Proposal> proposals = new ArrayList<>();
    for (JsonNode p : o.path("proposals")) {
      Map<String, Json> values = new LinkedHashMap<>();
      for (JsonNode kv : p.path("values")) {
        values.put(kv.get(0).asText(), kv.get(1).isNull() ? null : new Json(kv.get(1).asText()));
      }
      Change change = p.path("reset").asBoolean() ? new Change.Reset(values)
          : new Change.Put(values);
      proposals.add(new Proposal(p.path("localSeq").asLong(), p.path("baseSeq").asLong(), change));
    }
    Writer writer = new Writer(o.path("client").asText(), Role.valueOf(o.path("role").asText()),
        o.path("priority").asInt());
    return new Addressed(o.path("room").asText(),
        new Peers.Submit(writer, proposals, o.path("seenThrough").asLong()));
  }

  @Override
  public String answer(List<Outcome> outcomes) {
    ArrayNode a = mapper.createArrayNode();
    for (Outcome outcome : outcomes) {
      ObjectNode o = a.addObject().put("localSeq", outcome.localSeq());
      if (outcome instanceof Outcome.Accepted acc) {
        o.put("seq", acc.seq());
      } else if (outcome instanceof Outcome.Rejected r) {
        o.put("reason", r.reason().code()).put("message", r.message());
        ArrayNode winners = o.putArray("winners");
        r.winners().forEach((key, e) -> winners.addArray().add(key)
            .add(e.value() == null ? null : e.value().text()).add(e.seq()).add(e.writer())
            .add(e.priority()));
      }
    }
    return a.toString();
  }

  @Override
  public List<Outcome> parseAnswer(String text) {
    List<Outcome> outcomes = new ArrayList<>();
    for (JsonNode o : tree(text)) {
      long localSeq = o.path("localSeq").asLong();
      if (o.has("seq")) {
        outcomes.add(new Outcome.Accepted(localSeq, o.get("seq").asLong()));
        continue;
      }
      Map<String, Entry> winners = new LinkedHashMap<>();
      for (JsonNode w : o.path("winners")) {
        winners.put(w.get(0).asText(), new Entry(w.get(1).isNull() ? null
            : new Json(w.get(1).asText()), w.get(2).asLong(), w.get(3).asText(), w.get(4).asInt()));
      }
      outcomes.add(new Outcome.Rejected(localSeq, Rejection.ofCode(o.path("reason").asText()),
          o.path("message").isNull() ? null : o.path("message").asText(), winners));
    }
    return outcomes;
  }

  private JsonNode tree(String text) {
    try {
      return mapper.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a submit or outcome: " + e.getOriginalMessage(), e);
    }
  }
}
