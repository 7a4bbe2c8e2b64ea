package dev.livestate.examples.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.client.ClientOptions;
import dev.livestate.client.LivestateClient;
import dev.livestate.client.RejectedException;
import dev.livestate.client.Room;
import dev.livestate.client.RoomOptions;
import dev.livestate.client.storage.FileStorage;
import dev.livestate.room.RoomConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;

/**
 * Follows a room and writes to it: every change is printed as {@code key = value (origin)}, and
 * each line typed in is a command: {@code set KEY JSON}, {@code delete KEY}, {@code state}, {@code
 * quit}. Changes typed while the server is away are kept in {@code livestate-console.json} and
 * sent when it is back, also after the program is started again.
 *
 * <pre>
 * java -jar examples/java-console/target/livestate-console.jar ws://localhost:8080/ws todo alice
 * </pre>
 */
public final class Console {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Room room;
  private final PrintStream out;

  Console(Room room, PrintStream out) {
    this.room = room;
    this.out = out;
    room.onChange(c -> out.println(c.key() + " = " + c.value() + " (" + c.origin() + ")"));
    room.onConflict(c -> out.println("conflict on " + c.key() + ": kept " + c.winner()
        + ", not " + c.mine()));
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: Console WS_URL ROOM [CLIENT_ID]");
      System.exit(2);
    }
    ClientOptions options = ClientOptions.of(args[0])
        .withStorage(new FileStorage(Path.of("livestate-console.json")));
    if (args.length > 2) {
      options = options.withClientId(args[2]);
    }
    try (LivestateClient client = new LivestateClient(options)) {
      client.onStatus(s -> System.out.println("[" + s + "]"));
      Room room = client.room(args[1], RoomOptions.create(RoomConfig.DEFAULT));
      new Console(room, System.out).run(
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
    }
  }

  /** Reads commands until {@code quit} or the end of the input. */
  void run(BufferedReader in) throws IOException {
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String[] words = line.trim().split("\\s+", 3);
      switch (words[0]) {
        case "set" -> {
          if (words.length < 3) {
            out.println("usage: set KEY JSON");
          } else {
            write(words[1], JSON.readTree(words[2]));
          }
        }
        case "delete" -> write(words[1], null);
        case "state" -> out.println(room.state());
        case "quit" -> {
          return;
        }
        case "" -> { }
        default -> out.println("commands: set KEY JSON, delete KEY, state, quit");
      }
    }
  }

  /** Writes at once; says so when the room acks it, or why it refused. */
  private void write(String key, JsonNode value) {
    room.set(key, value).whenComplete((seq, failure) -> {
      if (failure == null) {
        out.println("ok " + key + " at seq " + seq);
      } else {
        Throwable why = failure instanceof CompletionException ? failure.getCause() : failure;
        out.println("refused " + key + ": "
            + (why instanceof RejectedException r ? r.code() : why));
      }
    });
  }
}
