package dev.livestate.server.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestate.cluster.RequestWire;
import dev.livestate.engine.Peers;
import dev.livestate.engine.RoomEvent;
import dev.livestate.engine.RoomRequest;
import dev.livestate.op.Change;
import dev.livestate.op.Json;
import dev.livestate.op.Proposal;
import dev.livestate.room.Leadership;
import dev.livestate.room.Role;
import dev.livestate.room.Writer;
import dev.livestate.state.Entry;
import dev.livestate.stream.StreamMessage;
import dev.livestate.sync.Outcome;
import dev.livestate.sync.Rejection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Room requests, their answers and the owners' events as JSON between nodes (decisions 023,
 * 024). A value (a change's, presence data, a stream message's body) travels as a JSON string
 * holding its text, and a deleted key (or a tombstone, or no value) as JSON null, so a value
 * reaches the other node character for character and keys keep their order.
 */
final class JsonRequestWire implements RequestWire {
  private final ObjectMapper mapper = new ObjectMapper();

  @Override
  public String request(String room, RoomRequest<?> request) {
    ObjectNode o = mapper.createObjectNode().put("room", room);
    if (request instanceof RoomRequest.Submit s) {
      submit(o.put("kind", "submit"), s);
    } else if (request instanceof RoomRequest.ClaimLeader c) {
      o.put("kind", "claimLeader").put("client", c.clientId()).put("identity", c.identity());
    } else if (request instanceof RoomRequest.ReleaseLeader r) {
      o.put("kind", "releaseLeader").put("client", r.clientId());
    } else if (request instanceof RoomRequest.LeaderLeft l) {
      o.put("kind", "leaderLeft").put("client", l.clientId()).put("grace", l.grace().toMillis());
    } else if (request instanceof RoomRequest.SetPresence p) {
      o.put("kind", "setPresence").put("client", p.clientId()).put("data", text(p.data()));
    } else if (request instanceof RoomRequest.TouchPresence t) {
      o.put("kind", "touchPresence").put("client", t.clientId());
    } else if (request instanceof RoomRequest.RemovePresence r) {
      o.put("kind", "removePresence").put("client", r.clientId());
    } else if (request instanceof RoomRequest.Publish p) {
      o.put("kind", "publish").put("time", p.time()).put("body", text(p.body()));
    } else if (request instanceof RoomRequest.ReadStream r) {
      o.put("kind", "readStream").put("from", r.from()).put("to", r.to());
    } else if (request instanceof RoomRequest.PutAttribute p) {
      o.put("kind", "putAttribute").put("key", p.key()).put("value", text(p.value()));
    } else {
      // the requests that carry nothing but their kind
      o.put("kind", request.getClass().getSimpleName());
    }
    return o.toString();
  }

  private static void submit(ObjectNode o, RoomRequest.Submit submit) {
    Writer w = submit.writer();
    o.put("client", w.clientId()).put("role", w.role().name())
        .put("priority", w.priority()).put("seenThrough", submit.seenThrough());
    ArrayNode proposals = o.putArray("proposals");
    for (Proposal p : submit.proposals()) {
      ObjectNode po = proposals.addObject().put("localSeq", p.localSeq())
          .put("baseSeq", p.baseSeq()).put("reset", p.change() instanceof Change.Reset);
      ArrayNode values = po.putArray("values");
      p.change().values().forEach((key, value) -> values.addArray().add(key).add(text(value)));
    }
  }

  @Override
  public Addressed<?> parseRequest(String text) {
    JsonNode o = tree(text);
    String client = o.path("client").asText();
    RoomRequest<?> request = switch (o.path("kind").asText()) {
      case "submit" -> submit(o);
      case "claimLeader" -> new RoomRequest.ClaimLeader(client, string(o.get("identity")));
      case "releaseLeader" -> new RoomRequest.ReleaseLeader(client);
      case "leaderLeft" -> new RoomRequest.LeaderLeft(client,
          Duration.ofMillis(o.path("grace").asLong()));
      case "setPresence" -> new RoomRequest.SetPresence(client, json(o.get("data")));
      case "touchPresence" -> new RoomRequest.TouchPresence(client);
      case "removePresence" -> new RoomRequest.RemovePresence(client);
      case "Presence" -> new RoomRequest.Presence();
      case "publish" -> new RoomRequest.Publish(o.path("time").asLong(), json(o.get("body")));
      case "readStream" -> new RoomRequest.ReadStream(o.path("from").asLong(),
          o.path("to").asLong());
      case "putAttribute" -> new RoomRequest.PutAttribute(o.path("key").asText(),
          json(o.get("value")));
      case "Seal" -> new RoomRequest.Seal();
      case "Delete" -> new RoomRequest.Delete();
      case "WhenCommitted" -> new RoomRequest.WhenCommitted();
      case "Company" -> new RoomRequest.Company();
      default -> throw new IllegalArgumentException("not a room request: " + text);
    };
    return new Addressed<>(o.path("room").asText(), request);
  }

  private static RoomRequest.Submit submit(JsonNode o) {
    List<Proposal> proposals = new ArrayList<>();
    for (JsonNode p : o.path("proposals")) {
      Map<String, Json> values = new LinkedHashMap<>();
      for (JsonNode kv : p.path("values")) {
        values.put(kv.get(0).asText(), json(kv.get(1)));
      }
      Change change = p.path("reset").asBoolean() ? new Change.Reset(values)
          : new Change.Put(values);
      proposals.add(new Proposal(p.path("localSeq").asLong(), p.path("baseSeq").asLong(), change));
    }
    Writer writer = new Writer(o.path("client").asText(), Role.valueOf(o.path("role").asText()),
        o.path("priority").asInt());
    return new RoomRequest.Submit(writer, proposals, o.path("seenThrough").asLong());
  }

  @Override
  public <A> String answer(RoomRequest<A> request, A answer) {
    JsonNode node;
    if (answer == null) {
      node = mapper.nullNode();
    } else if (request instanceof RoomRequest.Submit) {
      node = outcomes(this.<List<Outcome>>cast(answer));
    } else if (answer instanceof Leadership.Granted g) {
      node = mapper.createObjectNode().put("granted", true).put("previous", g.previous());
    } else if (answer instanceof Leadership.Refused r) {
      node = mapper.createObjectNode().put("granted", false).put("holder", r.holder());
    } else if (answer instanceof Boolean b) {
      node = mapper.getNodeFactory().booleanNode(b);
    } else if (answer instanceof StreamMessage m) {
      node = message(m);
    } else if (request instanceof RoomRequest.ReadStream) {
      ArrayNode a = mapper.createArrayNode();
      this.<List<StreamMessage>>cast(answer).forEach(m -> a.add(message(m)));
      node = a;
    } else if (answer instanceof Peers.Company c) {
      ObjectNode o = mapper.createObjectNode().put("holding", c.holding())
          .put("number", c.number()).put("at", c.at()).put("leader", c.leader());
      o.set("presence", presence(c.presence()));
      node = o;
    } else {
      node = presence(this.<Map<String, Json>>cast(answer));
    }
    return node.toString();
  }

  @SuppressWarnings("unchecked")
  private <T> T cast(Object o) {
    return (T) o;
  }

  @Override
  public <A> A parseAnswer(RoomRequest<A> request, String text) {
    JsonNode n = tree(text);
    if (n.isNull()) {
      return null;
    }
    Object answer;
    if (request instanceof RoomRequest.Submit) {
      answer = outcomes(n);
    } else if (request instanceof RoomRequest.ClaimLeader) {
      answer = n.path("granted").asBoolean() ? new Leadership.Granted(string(n.get("previous")))
          : new Leadership.Refused(n.path("holder").asText());
    } else if (request instanceof RoomRequest.ReleaseLeader
        || request instanceof RoomRequest.LeaderLeft) {
      answer = n.asBoolean();
    } else if (request instanceof RoomRequest.Publish) {
      answer = message(n);
    } else if (request instanceof RoomRequest.ReadStream) {
      List<StreamMessage> messages = new ArrayList<>();
      n.forEach(m -> messages.add(message(m)));
      answer = messages;
    } else if (request instanceof RoomRequest.Company) {
      answer = new Peers.Company(n.path("holding").asLong(), n.path("number").asLong(),
          n.path("at").asLong(), string(n.get("leader")), presence(n.path("presence")));
    } else {
      answer = presence(n);
    }
    return cast(answer);
  }

  @Override
  public String told(Peers.Told told) {
    ObjectNode o = mapper.createObjectNode().put("holding", told.holding())
        .put("number", told.number()).put("at", told.at());
    RoomEvent e = told.event();
    o.put("room", e.room());
    if (e instanceof RoomEvent.LeaderChanged l) {
      o.put("event", "leader").put("leader", l.leader()).put("previous", l.previous());
    } else if (e instanceof RoomEvent.PresenceChanged p) {
      o.put("event", "presence").put("client", p.clientId()).put("data", text(p.data()));
    } else if (e instanceof RoomEvent.Published p) {
      o.put("event", "published").set("message", message(p.message()));
    } else if (e instanceof RoomEvent.Sealed) {
      o.put("event", "sealed");
    } else if (e instanceof RoomEvent.Deleted d) {
      o.put("event", "deleted").put("epoch", d.epoch());
    } else {
      throw new IllegalArgumentException("ops travel as batches, not events: " + e);
    }
    return o.toString();
  }

  @Override
  public Peers.Told parseTold(String node, String text) {
    JsonNode o = tree(text);
    String room = o.path("room").asText();
    RoomEvent event = switch (o.path("event").asText()) {
      case "leader" -> new RoomEvent.LeaderChanged(room, string(o.get("leader")),
          string(o.get("previous")));
      case "presence" -> new RoomEvent.PresenceChanged(room, o.path("client").asText(),
          json(o.get("data")));
      case "published" -> new RoomEvent.Published(room, message(o.path("message")));
      case "sealed" -> new RoomEvent.Sealed(room);
      case "deleted" -> new RoomEvent.Deleted(room, o.path("epoch").asText());
      default -> throw new IllegalArgumentException("not an event: " + text);
    };
    return new Peers.Told(node, o.path("holding").asLong(), o.path("number").asLong(),
        o.path("at").asLong(), event);
  }

  private ObjectNode message(StreamMessage m) {
    return mapper.createObjectNode().put("id", m.id()).put("time", m.time())
        .put("expiresAt", m.expiresAt()).put("body", text(m.body()));
  }

  private static StreamMessage message(JsonNode m) {
    return new StreamMessage(m.path("id").asLong(), m.path("time").asLong(),
        m.path("expiresAt").asLong(), json(m.get("body")));
  }

  private ObjectNode presence(Map<String, Json> present) {
    ObjectNode o = mapper.createObjectNode();
    present.forEach((client, data) -> o.put(client, text(data)));
    return o;
  }

  private static Map<String, Json> presence(JsonNode o) {
    Map<String, Json> present = new LinkedHashMap<>();
    o.fields().forEachRemaining(e -> present.put(e.getKey(), json(e.getValue())));
    return present;
  }

  /** A value as the JSON string of its exact text, so it arrives character for character. */
  private static String text(Json value) {
    return value == null ? null : value.text();
  }

  private static Json json(JsonNode text) {
    return text == null || text.isNull() ? null : new Json(text.asText());
  }

  private static String string(JsonNode n) {
    return n == null || n.isNull() ? null : n.asText();
  }

  private ArrayNode outcomes(List<Outcome> outcomes) {
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
    return a;
  }

  private static List<Outcome> outcomes(JsonNode array) {
    List<Outcome> outcomes = new ArrayList<>();
    for (JsonNode o : array) {
      long localSeq = o.path("localSeq").asLong();
      if (o.has("seq")) {
        outcomes.add(new Outcome.Accepted(localSeq, o.get("seq").asLong()));
        continue;
      }
      Map<String, Entry> winners = new LinkedHashMap<>();
      for (JsonNode w : o.path("winners")) {
        winners.put(w.get(0).asText(), new Entry(json(w.get(1)), w.get(2).asLong(), w.get(3).asText(), w.get(4).asInt()));
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
      throw new IllegalArgumentException("not a room request or answer: " + e.getOriginalMessage(), e);
    }
  }
}
