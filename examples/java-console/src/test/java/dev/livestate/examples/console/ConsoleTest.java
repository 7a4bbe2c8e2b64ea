package dev.livestate.examples.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livestate.client.ClientOptions;
import dev.livestate.client.LivestateClient;
import dev.livestate.client.Room;
import dev.livestate.client.RoomOptions;
import dev.livestate.room.RoomConfig;
import dev.livestate.server.TestServer;
import dev.livestate.testkit.await.Await;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The console example against a real server: it prints what others write and writes what is
 * typed.
 */
class ConsoleTest {
  @RegisterExtension
  static final TestServer SERVER = TestServer.perClass();

  @Test
  void theConsolePrintsOthersChangesAndWritesWhatIsTyped() throws Exception {
    RoomOptions create = RoomOptions.create(RoomConfig.DEFAULT);
    try (LivestateClient peer = new LivestateClient(ClientOptions.of(SERVER.ws("/ws")));
        LivestateClient user = new LivestateClient(ClientOptions.of(SERVER.ws("/ws")))) {
      Room peerRoom = peer.room("console", create);
      peerRoom.ready().get(15, TimeUnit.SECONDS);
      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
      PipedWriter typing = new PipedWriter();
      BufferedReader in = new BufferedReader(new PipedReader(typing));
      Room room = user.room("console", create);
      Console console = new Console(room, out);
      CompletableFuture<Void> running = CompletableFuture.runAsync(() -> {
        try {
          console.run(in);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      room.ready().get(15, TimeUnit.SECONDS);

      peerRoom.set("weather", "clear").get(15, TimeUnit.SECONDS);
      Await.until("the console prints the peer's change",
          () -> printed.toString(StandardCharsets.UTF_8).contains("weather = \"clear\" (REMOTE)"));

      typing.write("set dome {\"open\":true}\n");
      typing.flush();
      Await.until("the console's write is acked",
          () -> printed.toString(StandardCharsets.UTF_8).contains("ok dome at seq 2"));
      Await.until("the peer sees it", () -> peerRoom.get("dome") != null);
      assertEquals(true, peerRoom.get("dome").get("open").asBoolean());

      typing.write("quit\n");
      typing.flush();
      running.get(15, TimeUnit.SECONDS);
    }
  }
}
