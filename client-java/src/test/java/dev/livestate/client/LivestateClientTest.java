package dev.livestate.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.livestate.client.storage.FileStorage;
import dev.livestate.conflict.ConflictPolicy;
import dev.livestate.room.Role;
import dev.livestate.room.RoomConfig;
import dev.livestate.server.TestServer;
import dev.livestate.testkit.await.Await;
import dev.livestate.testkit.http.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The client against a real server in this JVM, over a real WebSocket. */
class LivestateClientTest {
  @RegisterExtension
  static final TestServer SERVER = TestServer.perClass();

  private static LivestateClient client(String id) {
    return new LivestateClient(ClientOptions.of(SERVER.ws("/ws")).withClientId(id));
  }

  /** {@code client}'s room {@code name}, its snapshot applied. */
  private static Room joined(LivestateClient client, String name, RoomOptions options)
      throws Exception {
    Room room = client.room(name, options);
    room.ready().get(15, TimeUnit.SECONDS);
    return room;
  }

  private static JsonNode serverState(String room) throws Exception {
    return Http.getJson(SERVER.http("/api/rooms/" + room));
  }

  @Test
  void twoClientsConvergeAfterAThousandInterleavedChanges() throws Exception {
    try (LivestateClient alice = client("converge-alice");
        LivestateClient bob = client("converge-bob")) {
      RoomOptions create = RoomOptions.create(RoomConfig.DEFAULT);
      Room a = joined(alice, "converge", create);
      Room b = joined(bob, "converge", create);

      List<CompletableFuture<Long>> acks = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        // twenty keys, so the two write the same keys over each other all the time
        Room writer = i % 2 == 0 ? a : b;
        acks.add(i % 7 == 6 ? writer.delete("k" + i % 20) : writer.set("k" + i % 20, i));
      }
      CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      Await.until("both applied all 1,000 seqs", () -> a.seq() == 1000 && b.seq() == 1000);

      JsonNode server = serverState("converge");
      assertEquals(1000, server.get("seq").asLong(), "each change applied once");
      Map<String, JsonNode> expected = new LinkedHashMap<>();
      server.get("state").fields().forEachRemaining(e -> expected.put(e.getKey(), e.getValue()));
      assertEquals(expected, a.state());
      assertEquals(expected, b.state());
      assertEquals(0, a.pendingCount() + b.pendingCount());
    }
  }

  @Test
  void aLowerPriorityChangeMadeBeforeCatchingUpIsRolledBackToTheWinnerWithAConflict()
      throws Exception {
    Path file = Files.createTempDirectory("livestate-client").resolve("bob.json");
    RoomOptions create =
        RoomOptions.create(RoomConfig.DEFAULT.withPolicy(ConflictPolicy.PRIORITY));
    try (LivestateClient alice = client("duel-alice")) {
      Room a = joined(alice, "duel", create.withPriority(10));
      a.set("x", "first").get(15, TimeUnit.SECONDS);
      try (LivestateClient bob = new LivestateClient(ClientOptions.of(SERVER.ws("/ws"))
          .withClientId("duel-bob").withStorage(new FileStorage(file)))) {
        bob.room("duel", create.withPriority(1)).ready().get(15, TimeUnit.SECONDS);
      }
      a.set("x", "alice").get(15, TimeUnit.SECONDS);

      // bob comes back from where he left; he changes x before his catch-up brings alice's value
      try (LivestateClient bob = new LivestateClient(ClientOptions.of(SERVER.ws("/ws"))
          .withClientId("duel-bob").withStorage(new FileStorage(file)))) {
        List<ChangeEvent> changes = new CopyOnWriteArrayList<>();
        List<Conflict> conflicts = new CopyOnWriteArrayList<>();
        List<CompletableFuture<Long>> write = new CopyOnWriteArrayList<>();
        AtomicBoolean once = new AtomicBoolean();
        RoomOptions low = create.withPriority(1);
        bob.onStatus(s -> {
          // the room is joining: its catch-up is not applied yet
          if (s == Status.RESYNCING && once.compareAndSet(false, true)) {
            Room r = bob.room("duel", low);
            r.onChange(changes::add);
            r.onConflict(conflicts::add);
            write.add(r.set("x", "bob"));
          }
        });
        Await.until("bob online", () -> bob.status() == Status.ONLINE);
        Room b = bob.room("duel", low);
        Await.until("bob's change", () -> !write.isEmpty());

        ExecutionException refused = assertThrows(ExecutionException.class,
            () -> write.get(0).get(15, TimeUnit.SECONDS));
        RejectedException why = assertInstanceOf(RejectedException.class, refused.getCause());
        assertEquals("conflict", why.code());
        assertEquals(new TextNode("alice"), why.winners().get("x").value());
        assertEquals(new TextNode("alice"), b.get("x"));
        Await.until("the conflict event", () -> !conflicts.isEmpty());
        assertEquals(new Conflict("x", new TextNode("bob"), new TextNode("alice")),
            conflicts.get(0));
        assertEquals(List.of(
            new ChangeEvent("x", new TextNode("bob"), 0, ChangeEvent.Origin.LOCAL),
            new ChangeEvent("x", new TextNode("alice"), 0, ChangeEvent.Origin.ROLLBACK)),
            changes);
        assertEquals("alice", serverState("duel").at("/state/x").asText());
      }
    }
  }

  @Test
  void aReadersSetFailsWithForbiddenAndItsValueRollsBack() throws Exception {
    try (LivestateClient writer = client("read-writer");
        LivestateClient reader = client("read-reader")) {
      Room w = joined(writer, "read", RoomOptions.create(RoomConfig.DEFAULT));
      w.set("title", "Hello").get(15, TimeUnit.SECONDS);
      Room r = joined(reader, "read", RoomOptions.JOIN.withRole(Role.READER));

      CompletableFuture<Long> set = r.set("title", "Mine");
      assertEquals(new TextNode("Mine"), r.get("title"), "shown at once");
      ExecutionException refused = assertThrows(ExecutionException.class,
          () -> set.get(15, TimeUnit.SECONDS));
      assertEquals("forbidden",
          assertInstanceOf(RejectedException.class, refused.getCause()).code());
      assertEquals(new TextNode("Hello"), r.get("title"));
      assertEquals("Hello", serverState("read").at("/state/title").asText());
    }
  }

  @Test
  void presenceLeadershipAndTheStreamReachTheOtherClient() throws Exception {
    try (LivestateClient alice = client("extras-alice");
        LivestateClient bob = client("extras-bob")) {
      Room a = joined(alice, "extras", RoomOptions.create(RoomConfig.DEFAULT));
      Room b = joined(bob, "extras", RoomOptions.JOIN);
      List<Message> heard = new CopyOnWriteArrayList<>();
      b.onMessage(heard::add);

      a.setPresence(Map.of("name", "Alice")).get(15, TimeUnit.SECONDS);
      Await.until("bob sees alice", () -> b.presence().containsKey("extras-alice"));
      assertEquals("Alice", b.presence().get("extras-alice").get("name").asText());

      assertTrue(a.lead().get(15, TimeUnit.SECONDS));
      Await.until("bob hears the leader", () -> "extras-alice".equals(b.leader()));
      assertTrue(a.unlead().get(15, TimeUnit.SECONDS));

      Message sent = a.publish(Map.of("text", "slewing")).get(15, TimeUnit.SECONDS);
      Await.until("bob hears the message", () -> !heard.isEmpty());
      assertEquals("slewing", heard.get(0).body().get("text").asText());
      List<Message> history = b.history(0, Long.MAX_VALUE).get(15, TimeUnit.SECONDS);
      assertEquals(List.of(sent.id()), history.stream().map(Message::id).toList());
    }
  }
}
