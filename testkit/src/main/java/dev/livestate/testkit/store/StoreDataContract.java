package dev.livestate.testkit.store;

import static dev.livestate.testkit.store.TestOps.fold;
import static dev.livestate.testkit.store.TestOps.inOrder;
import static dev.livestate.testkit.store.TestOps.json;
import static dev.livestate.testkit.store.TestOps.op;
import static dev.livestate.testkit.store.TestOps.put;
import static dev.livestate.testkit.store.TestOps.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.op.Change;
import dev.livestate.op.Json;
import dev.livestate.op.Op;
import dev.livestate.state.Entry;
import dev.livestate.store.StoredRoom;
import dev.livestate.stream.StreamMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The part of the {@link StoreContract} about what a room keeps besides its ops (stream messages
 * until they expire, attributes) and how exactly: values byte for byte, JSON null a value apart
 * from a delete, keys in their order, names and keys as given.
 */
public abstract class StoreDataContract extends StoreRestartContract {

  @Test
  void jsonNullIsRecoveredAsAValueAndADeleteAsADelete() throws Exception {
    create("r");
    List<Op> ops = List.of(
        put(1, "w", "kept", "1", "empty", "null", "gone", "2"),
        put(2, "w", "gone", null, "kept", "null", "never", null),
        op(3, "w", 0, new Change.Reset(values("fresh", "null", "kept", "null"))),
        put(4, "w", "fresh", null, "late", "null"));
    ok(c -> store.append("r", ops.subList(0, 2), c));
    ok(c -> store.append("r", ops.subList(2, 4), c));

    StoredRoom r = recovered(NOW).get("r");
    assertEquals(new Entry(Json.NULL, 3, "w", 0), r.entries().get("kept"));
    assertEquals(new Entry(null, 3, "w", 0), r.entries().get("empty"), "the reset cleared it");
    assertEquals(new Entry(null, 4, "w", 0), r.entries().get("fresh"));
    assertEquals(new Entry(Json.NULL, 4, "w", 0), r.entries().get("late"));
    assertEquals(new Entry(null, 2, "w", 0), r.entries().get("never"), "a delete of no key");
    // equal ops tell a value null from a delete: Map.equals compares null and Json.NULL
    assertEquals(ops, r.recentOps(), "catch-up relays each as it was written");
    Map<String, Json> second = r.recentOps().get(1).change().values();
    assertTrue(second.containsKey("gone") && second.get("gone") == null);
    assertEquals(Json.NULL, second.get("kept"));
  }

  @Test
  void keysAreRecoveredInTheOrderTheyWereFirstSet() throws Exception {
    create("r");
    List<Op> ops = List.of(
        put(1, "w", "zeta", "1", "alpha", "null", "omega", "3"),
        put(2, "w", "mid", "4", "zeta", "5", "alpha", "6"),
        put(3, "w", "omega", null),
        put(4, "w", "beta", "7", "omega", "8"));
    ok(c -> store.append("r", ops, c));

    StoredRoom r = recovered(NOW).get("r");
    assertEquals(List.of("zeta", "alpha", "mid", "beta", "omega"), List.copyOf(r.entries().keySet()),
        "an updated key keeps its place; a deleted one set again goes last");
    assertEquals(inOrder(fold(ops)), inOrder(r.entries()));
  }

  @Test
  void aResetsKeysComeInItsOrderAndLaterKeysAfterThemThroughReopens() throws Exception {
    create("r");
    List<Op> ops = List.of(
        put(1, "w", "a", "1", "b", "2", "c", "3", "d", "4"),
        op(2, "w", 0, new Change.Reset(values("d", "5", "x", "null", "b", "6"))),
        put(3, "w", "a", "7", "d", "8"),
        put(4, "w", "x", null, "c", "9"),
        put(5, "w", "x", "10", "b", "11"));
    ok(c -> store.append("r", ops.subList(0, 2), c));
    recovered(NOW);
    ok(c -> store.append("r", ops.subList(2, 4), c));
    recovered(NOW);
    ok(c -> store.append("r", ops.subList(4, 5), c));

    StoredRoom r = recovered(NOW).get("r");
    assertEquals(List.of("d", "b", "a", "c", "x"), live(r));
    assertEquals(inOrder(fold(ops)), inOrder(r.entries()));
  }

  /** The keys that hold a value, in the recovered order. */
  private static List<String> live(StoredRoom r) {
    return r.entries().entrySet().stream().filter(e -> !e.getValue().deleted())
        .map(Map.Entry::getKey).toList();
  }

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
