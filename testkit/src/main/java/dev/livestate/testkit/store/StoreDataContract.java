package dev.livestate.testkit.store;

import static dev.livestate.testkit.store.TestOps.json;
import static dev.livestate.testkit.store.TestOps.op;
import static dev.livestate.testkit.store.TestOps.put;
import static dev.livestate.testkit.store.TestOps.values;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livestate.op.Change;
import dev.livestate.op.Json;
import dev.livestate.op.Op;
import dev.livestate.store.StoredRoom;
import dev.livestate.stream.StreamMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The part of the {@link StoreContract} about what a room keeps besides its ops (stream messages
 * until they expire, attributes) and how exactly: values byte for byte, names and keys as given.
 */
public abstract class StoreDataContract extends StoreRestartContract {

  @Test
  void expiredStreamMessagesAreNotRecovered() throws Exception {
    create("r");
    StreamMessage gone = new StreamMessage(1, NOW - 20, NOW - 10, json("{\"m\":1}"));
    StreamMessage atNow = new StreamMessage(2, NOW - 5, NOW, json("{\"m\":2}"));
    StreamMessage live = new StreamMessage(3, NOW, LATER, json("{\"m\":3}"));
    for (StreamMessage m : List.of(gone, atNow, live)) {
      ok(c -> store.publish("r", m, c));
    }

    assertEquals(List.of(live), recovered(NOW).get("r").stream());
    assertEquals(List.of(gone, atNow, live), recovered(0).get("r").stream(),
        "not deleted until expire");
  }

  @Test
  void expireDeletesMessagesDueByNowForGoodAndKeepsLaterOnes() throws Exception {
    create("r");
    create("s");
    StreamMessage old = new StreamMessage(1, NOW - 20, NOW - 10, json("1"));
    StreamMessage dueNow = new StreamMessage(2, NOW - 5, NOW, json("2"));
    StreamMessage justAfter = new StreamMessage(3, NOW, NOW + 1, json("3"));
    StreamMessage live = new StreamMessage(4, NOW, LATER, json("4"));
    for (StreamMessage m : List.of(old, dueNow, justAfter, live)) {
      ok(c -> store.publish("r", m, c));
    }
    ok(c -> store.publish("s", old, c));
    ok(c -> store.publish("s", dueNow, c));
    store.expire(NOW);

    // Recovered at 0, when nothing has expired: what is missing was deleted, not filtered out.
    Map<String, StoredRoom> rooms = recovered(0);
    assertEquals(List.of(justAfter, live), rooms.get("r").stream());
    assertEquals(List.of(), rooms.get("s").stream());
  }

  @Test
  void streamMessagesAreRecoveredInIdOrderWithTheirBodies() throws Exception {
    create("r");
    List<StreamMessage> sent = new ArrayList<>();
    for (int id = 1; id <= 20; id++) {
      sent.add(new StreamMessage(id, NOW + id, LATER + id,
          json("{\"message\":\"line " + id + "\",\"log_level\":\"info\"}")));
    }
    for (StreamMessage m : sent) {
      ok(c -> store.publish("r", m, c));
    }
    assertEquals(sent, recovered(NOW).get("r").stream());
  }

  @Test
  void attributesSurviveRecovery() throws Exception {
    create("r");
    ok(c -> store.putAttribute("r", "a", json("1"), c));
    ok(c -> store.putAttribute("r", "b", json("{\"x\":true}"), c));
    ok(c -> store.putAttribute("r", "a", json("2"), c));
    ok(c -> store.putAttribute("r", "b", null, c));
    ok(c -> store.putAttribute("r", "sealed", Json.NULL, c));

    assertEquals(Map.of("a", json("2"), "sealed", Json.NULL), recovered(NOW).get("r").attributes());
  }

  @Test
  void valuesAreKeptByteForByte() throws Exception {
    create("r");
    String big = "\"" + "x".repeat(70_000) + "\"";
    Map<String, Json> odd = values(
        "exp", "1.0e10",
        "negZero", "-0",
        "escaped", "\"caf\\u00e9 \\\"q\\\" \\n\"",
        "spaced", "{\"b\": [1, 2.50, {\"c\":null}], \"a\" : \"x\"}",
        "empty", "[]",
        "yes", "true",
        "emoji", "\"\uD83C\uDF89 \u00e9\"",
        "big", big);
    Op op = op(1, "w", 0, new Change.Put(odd));
    ok(c -> store.append("r", List.of(op), c));

    StoredRoom r = recovered(NOW).get("r");
    for (Map.Entry<String, Json> e : odd.entrySet()) {
      assertEquals(e.getValue(), r.entries().get(e.getKey()).value(), e.getKey());
      assertEquals(e.getValue(), r.recentOps().get(0).change().values().get(e.getKey()), e.getKey());
    }
    assertEquals(List.copyOf(odd.keySet()),
        List.copyOf(r.recentOps().get(0).change().values().keySet()), "keys keep their order");
  }

  @Test
  void namesAndKeysDifferingInCaseOrTrailingSpacesStayDistinct() throws Exception {
    List<String> names = List.of("room", "Room", "room ");
    for (String name : names) {
      create(name);
      ok(c -> store.append(name, List.of(
          put(1, "w", "k", "1", "K", "2", "k ", "3", "k\u00e9", "4", "ke\u0301", "5")), c));
      ok(c -> store.putAttribute(name, "a", json("\"" + name + "\""), c));
      ok(c -> store.putAttribute(name, "A", json("0"), c));
    }

    Map<String, StoredRoom> rooms = recovered(NOW);
    assertEquals(names.stream().sorted().toList(), rooms.keySet().stream().sorted().toList());
    for (String name : names) {
      StoredRoom r = rooms.get(name);
      assertEquals(5, r.entries().size(), name);
      assertEquals(json("3"), r.entries().get("k ").value());
      assertEquals(json("\"" + name + "\""), r.attributes().get("a"));
      assertEquals(2, r.attributes().size());
    }
  }
}
