package dev.livestate.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livestate.client.storage.FileStorage;
import dev.livestate.room.RoomConfig;
import dev.livestate.server.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A room larger than a part of the joined reply (a sixteenth of the server's 64 KiB queue cap
 * here: 4 KiB) comes in parts, as a snapshot and as a catch-up, and the client folds them whole.
 */
class LargeRoomTest {
  @RegisterExtension
  static final TestServer SERVER = TestServer.perClass(Map.of("limits.max-queued", "64k"));

  private static final String KILOBYTE = "x".repeat(1024);

  private static LivestateClient client(String id, Path file) {
    ClientOptions options = ClientOptions.of(SERVER.ws("/ws")).withClientId(id);
    return new LivestateClient(file == null ? options : options.withStorage(new FileStorage(file)));
  }

  /** Five changes of twenty 1 KiB values each. */
  private static void fill(Room room, String prefix) throws Exception {
    for (int change = 0; change < 5; change++) {
      Map<String, Object> values = new LinkedHashMap<>();
      for (int i = 0; i < 20; i++) {
        values.put(prefix + change + "-" + i, KILOBYTE + i);
      }
      room.batch(values).get(15, TimeUnit.SECONDS);
    }
  }

  @Test
  void aSnapshotAndACatchUpInPartsAreFoldedWhole() throws Exception {
    Path file = Files.createTempDirectory("livestate-large").resolve("reader.json");
    RoomOptions create = RoomOptions.create(RoomConfig.DEFAULT);
    try (LivestateClient writer = client("large-writer", null)) {
      Room w = writer.room("atlas", create);
      w.ready().get(15, TimeUnit.SECONDS);
      fill(w, "tile");
      try (LivestateClient reader = client("large-reader", file)) {
        Room r = reader.room("atlas", create);
        r.ready().get(15, TimeUnit.SECONDS);
        assertEquals(100, r.state().size(), "the snapshot's parts, all of them");
        assertEquals(w.state(), r.state());
      }

      fill(w, "more");
      try (LivestateClient reader = client("large-reader", file)) {
        Room r = reader.room("atlas", create);
        r.ready().get(15, TimeUnit.SECONDS);
        assertEquals(10, r.seq(), "the catch-up's ops, all of them");
        assertEquals(w.state(), r.state());
      }
    }
  }
}
