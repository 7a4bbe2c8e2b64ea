package dev.livestate.server.adapter.nativews;

import static dev.livestate.server.adapter.nativews.NativeStoreFailureTest.health;
import static dev.livestate.server.adapter.nativews.NativeStoreFailureTest.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.server.TestServer;
import dev.livestate.testkit.await.Await;
import dev.livestate.testkit.database.Prerequisite;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The default store, SQLite, in a data directory on a real 5 MiB tmpfs that fills up: whatever
 * was answered as done while the disk was full, on any door, is there after a restart, the
 * server says its store is failing, and once space returns the rooms take writes again without
 * a restart. Mounting needs root (CAP_SYS_ADMIN): elsewhere the test is skipped, except on CI.
 */
class StoreOnFullDiskTest {
  private static final String BIG = "x".repeat(100_000);

  /** A tmpfs of {@code size} mounted on a fresh directory; unmounted on close. */
  private record SmallDisk(Path dir) implements AutoCloseable {
    static SmallDisk mount(String size) throws Exception {
      Path dir = Files.createTempDirectory("livestate-small-disk");
      Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs",
          dir.toString()).redirectErrorStream(true).start();
      String said = new String(mount.getInputStream().readAllBytes());
      if (mount.waitFor() != 0) {
        Files.delete(dir);
        throw Prerequisite.missing("cannot mount a tmpfs (needs root): " + said.strip());
      }
      return new SmallDisk(dir);
    }

    /** Fills the disk with a file of its own until {@code left} bytes are free. */
    Path fillUntil(String name, long left) throws IOException {
      Path ballast = dir.resolve(name);
      byte[] chunk = new byte[4096];
      try (OutputStream out = Files.newOutputStream(ballast)) {
        while (Files.getFileStore(dir).getUsableSpace() > left) {
          out.write(chunk);
          out.flush();
        }
      } catch (IOException full) {
        // no space left: full it is
      }
      return ballast;
    }

    @Override
    public void close() throws Exception {
      new ProcessBuilder("umount", dir.toString()).start().waitFor();
      Files.deleteIfExists(dir);
    }
  }

  @Test
  void whatIsAnsweredWhileTheDiskIsFullIsThereAfterARestartAndWritesResumeWhenSpaceReturns()
      throws Exception {
    try (SmallDisk disk = SmallDisk.mount("5m")) {
      Path data = disk.dir().resolve("data");
      Map<String, String> acked = new LinkedHashMap<>();
      try (TestServer server = TestServer.start(data, Map.of());
          NativeClient writer = NativeClient.connect(server.ws("/ws"), "writer")) {
        writer.join("big", Map.of("create", true));
        Path ballast = disk.fillUntil("ballast", 1_500_000);

        JsonNode refused = null;
        for (int i = 0; refused == null; i++) {
          JsonNode answer = writer.set("big", "k" + i, BIG + i);
          if (answer.path("acks").size() == 1) {
            acked.put("k" + i, BIG + i);
          } else {
            refused = answer;
          }
          assertTrue(i < 100, "the disk never filled");
        }
        assertEquals("room_failed", refused.path("code").asText(), refused.toString());
        assertEquals("degraded", health(server).get("status").asText());
        // What the failed write had taken is free again, and SQLite reuses its WAL: a small write
        // may well commit on a full disk. Whatever is answered as done must then be kept.
        Path rest = disk.fillUntil("rest", 0);
        boolean bornFull = writer.join("born-full", Map.of("create", true)).path("type").asText()
            .equals("joined");
        boolean madeFull = put(server, "/api/rooms/made-full").statusCode() == 201;
        int logged = server.post("/logs/newlog",
            "{\"site\":\"full\",\"log_message\":\"" + BIG + "\"}").statusCode();
        assertTrue(logged == 200 || logged == 503, "answered " + logged);

        Files.delete(ballast);
        Files.delete(rest);
        Await.until("the store to take writes again",
            () -> health(server).get("status").asText().equals("ok"));
        assertEquals("joined", writer.join("big", Map.of()).get("type").asText());
        assertEquals(1, writer.set("big", "after", "space returned").get("acks").size());
        acked.put("after", "space returned");
        assertEquals("joined", writer.join("born", Map.of("create", true)).get("type").asText());
        assertEquals(200, server.post("/logs/newlog",
            "{\"site\":\"back\",\"log_message\":\"kept\"}").statusCode());

        try (TestServer restarted = restart(server, data);
            NativeClient reader = NativeClient.connect(restarted.ws("/ws"), "reader")) {
          JsonNode joined = reader.join("big", Map.of());
          assertEquals(acked.size(), joined.get("seq").asLong(), "every ack, and nothing else");
          acked.forEach((key, value) ->
              assertEquals(value, joined.at("/snapshot/" + key).asText(), key + " was acked"));
          assertEquals("joined", reader.join("born", Map.of()).get("type").asText());
          if (bornFull) {
            assertEquals("joined", reader.join("born-full", Map.of()).get("type").asText());
          }
          if (madeFull) {
            assertEquals("joined", reader.join("made-full", Map.of()).get("type").asText());
          }
          assertTrue(restarted.get("/logs/recent-logs?site=back&after_time=0").body()
              .contains("kept"));
          if (logged == 200) {
            assertTrue(restarted.get("/logs/recent-logs?site=full&after_time=0").body()
                .contains(BIG));
          }
        }
      }
    }
  }

  /** Stops {@code server} and starts another on its data directory. */
  private static TestServer restart(TestServer server, Path data) throws Exception {
    server.close();
    return TestServer.start(data, Map.of());
  }
}
