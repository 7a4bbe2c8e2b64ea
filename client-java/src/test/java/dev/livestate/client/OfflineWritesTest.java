package dev.livestate.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.client.storage.ClientStorage;
import dev.livestate.client.storage.FileStorage;
import dev.livestate.client.storage.Saved;
import dev.livestate.room.RoomConfig;
import dev.livestate.server.ChildServer;
import dev.livestate.server.TestServer;
import dev.livestate.testkit.await.Await;
import dev.livestate.testkit.http.Http;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Changes written while the server is down land once it is back, exactly once. The server is a
 * child process killed with SIGKILL and started again on the same data directory and port; the
 * client keeps its queue in a file, and a second run of the program picks it up.
 */
class OfflineWritesTest {
  private static final RoomOptions CREATE = RoomOptions.create(RoomConfig.DEFAULT);

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static LivestateClient client(int port, Path file) {
    return new LivestateClient(ClientOptions.of("ws://127.0.0.1:" + port + "/ws")
        .withClientId("field-laptop").withStorage(new FileStorage(file)));
  }

  @Test
  void fiftyChangesWrittenWhileTheServerIsDownLandExactlyOnce() throws Exception {
    Path data = Files.createTempDirectory("livestate-offline");
    Path file = data.resolveSibling(data.getFileName() + "-client.json");
    String port = String.valueOf(freePort());
    ChildServer first = ChildServer.start(data, "--port", port);
    LivestateClient laptop = client(first.port(), file);
    Room room = laptop.room("survey", CREATE);
    room.ready().get(15, TimeUnit.SECONDS);
    for (int i = 0; i < 5; i++) {
      room.set("before" + i, i).get(15, TimeUnit.SECONDS);
    }

    first.kill();
    Await.until("the client sees the server gone", () -> laptop.status() == Status.OFFLINE);
    List<CompletableFuture<Long>> acks = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      acks.add(room.set("k" + i, i));
    }
    assertEquals(new IntNode(29), room.get("k29"), "applied locally at once");
    assertEquals(30, room.pendingCount());
    laptop.close();

    // the program runs again, still offline, and writes the rest
    LivestateClient again = client(first.port(), file);
    Room resumed = again.room("survey", CREATE);
    assertEquals(30, resumed.pendingCount(), "the queue came back from the file");
    for (int i = 30; i < 50; i++) {
      acks.add(resumed.set("k" + i, i));
    }

    ChildServer second = ChildServer.start(data, "--port", port);
    try {
      CompletableFuture.allOf(acks.subList(30, 50).toArray(CompletableFuture[]::new))
          .get(30, TimeUnit.SECONDS);
      Await.until("the queue drained", () -> resumed.pendingCount() == 0);
      JsonNode server = state(second);
      assertEquals(55, server.get("seq").asLong(), "5 before, then each of the 50 once");
      for (int i = 0; i < 50; i++) {
        assertEquals(i, server.at("/state/k" + i).asInt());
      }
      assertEquals(55, resumed.seq());
      assertEquals(55, resumed.state().size());

      again.close();
    } finally {
      second.close();
    }
  }

  @Test
  void afterTheServerLostTheRoomTheClientResubmitsWhatItHolds() throws Exception {
    Path lost = Files.createTempDirectory("livestate-lost");
    String port = String.valueOf(freePort());
    ChildServer first = ChildServer.start(lost, "--port", port);
    try (LivestateClient keeper = new LivestateClient(
        ClientOptions.of("ws://127.0.0.1:" + port + "/ws").withClientId("keeper"))) {
      Room room = keeper.room("atlas", CREATE);
      room.ready().get(15, TimeUnit.SECONDS);
      room.set("x", 1).get(15, TimeUnit.SECONDS);
      room.set("y", 2).get(15, TimeUnit.SECONDS);
      first.kill();
      Await.until("offline", () -> keeper.status() == Status.OFFLINE);
      room.set("z", 3);

      // a server on an empty data directory: the room and its epoch are gone
      try (ChildServer second = ChildServer.start(Files.createTempDirectory("livestate-empty"),
          "--port", port)) {
        Await.until("the room rebuilt from what the client held",
            () -> room.pendingCount() == 0 && state(second, "atlas").path("seq").asLong() == 2);
        JsonNode server = state(second, "atlas");
        assertEquals(1, server.at("/state/x").asInt());
        assertEquals(2, server.at("/state/y").asInt());
        assertEquals(3, server.at("/state/z").asInt());
        Await.until("the client on the new history", () -> room.seq() == 2);
        assertEquals(3, room.state().size());
      }
    }
  }

  /**
   * A storage that stops saving once it has saved {@code last} as pending: the program "dies"
   * with its file holding changes whose acks it got but never recorded.
   */
  private static final class DyingStorage implements ClientStorage {
    private final FileStorage file;
    private final String last;
    private volatile boolean dead;

    DyingStorage(Path path, String last) {
      this.file = new FileStorage(path);
      this.last = last;
    }

    @Override
    public Saved load() throws IOException {
      return file.load();
    }

    @Override
    public void save(Saved saved) throws IOException {
      if (dead) {
        return;
      }
      file.save(saved);
      dead = saved.rooms().values().stream().flatMap(r -> r.pending().stream())
          .anyMatch(c -> c.set().containsKey(last));
    }
  }

  @Test
  void changesWhoseAcksTheProgramNeverRecordedAreResentAndNotAppliedTwice() throws Exception {
    Path file = Files.createTempDirectory("livestate-resend").resolve("client.json");
    try (TestServer server = TestServer.start()) {
      LivestateClient first = new LivestateClient(ClientOptions.of(server.ws("/ws"))
          .withClientId("forgetful").withStorage(new DyingStorage(file, "m49")));
      Room room = first.room("ledger", CREATE);
      room.ready().get(15, TimeUnit.SECONDS);
      List<CompletableFuture<Long>> acks = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        acks.add(room.set("m" + i, i));
      }
      CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(15, TimeUnit.SECONDS);
      first.close();

      try (LivestateClient second = new LivestateClient(ClientOptions.of(server.ws("/ws"))
          .withStorage(new FileStorage(file)))) {
        Room resumed = second.room("ledger", CREATE);
        assertTrue(resumed.pendingCount() > 0, "the file still holds changes as pending");
        resumed.ready().get(15, TimeUnit.SECONDS);
        Await.until("every resend answered", () -> resumed.pendingCount() == 0);
        assertEquals("forgetful", second.clientId());
        JsonNode state = Http.getJson(server.http("/api/rooms/ledger"));
        assertEquals(50, state.get("seq").asLong(), "each change applied once");
        assertEquals(50, resumed.seq());
        assertEquals(49, resumed.get("m49").asInt());
      }
    }
  }

  private static JsonNode state(ChildServer server) throws Exception {
    return state(server, "survey");
  }

  private static JsonNode state(ChildServer server, String room) throws Exception {
    return Http.getJson("http://127.0.0.1:" + server.port() + "/api/rooms/" + room);
  }
}
