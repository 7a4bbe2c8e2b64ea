package dev.livestate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.testkit.await.Await;
import dev.livestate.testkit.database.Prerequisite;
import dev.livestate.testkit.http.Http;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The container image {@code -Pimage} builds (jib's buildTar on an empty base, decision 020), run
 * as a container runtime would: its layers unpacked in order into a root filesystem, and its
 * entrypoint and command started inside it with {@code unshare} (a mount namespace with
 * {@code /proc} and {@code /dev}, the new root, the image's working directory, user and
 * environment) — nothing of this machine's Java. Runs in the integration-test phase, after the
 * package phase made the tar. It needs root; without it, or without the tar, it is skipped (and
 * fails on CI).
 */
class ContainerImageIT {
  private static final Path IMAGE = Path.of("target", "livestate-image.tar");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Runs a command of this machine to its end, failing the test if it fails. */
  private static void run(Path dir, String... command) throws Exception {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .start();
    String output = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0,
        String.join(" ", command) + ":\n" + output);
  }

  /** This machine's {@code name} on its PATH: the image's environment has another PATH. */
  private static String hostCommand(String name) {
    return Stream.of(System.getenv("PATH").split(File.pathSeparator))
        .map(dir -> Path.of(dir, name)).filter(Files::isExecutable).findFirst()
        .orElseThrow(() -> Prerequisite.missing("no " + name + " on this machine")).toString();
  }

  private static void requireRootAndTheImage() throws Exception {
    if (!Files.isRegularFile(IMAGE)) {
      throw Prerequisite.missing("no " + IMAGE + ": build it with"
          + " ./mvnw -pl server -am verify -Pimage");
    }
    if (!Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"))) {
      throw Prerequisite.missing("running the image needs root (chroot and mounts)");
    }
  }

  @Test
  void theImageRunsFromItsOwnFilesAsItsConfigSaysAndKeepsWrites() throws Exception {
    requireRootAndTheImage();
    Path unpacked = Files.createTempDirectory("livestate-image");
    try {
      Path root = Files.createDirectories(unpacked.resolve("root"));
      run(unpacked, "tar", "-xf", IMAGE.toAbsolutePath().toString());
      JsonNode manifest = JSON.readTree(unpacked.resolve("manifest.json").toFile()).get(0);
      JsonNode config = JSON.readTree(unpacked.resolve(manifest.get("Config").asText()).toFile())
          .get("config");
      assertTrue(config.path("ExposedPorts").has("8080/tcp"), config.toString());
      assertTrue(config.path("Volumes").has("/data"), config.toString());
      String user = config.path("User").asText();
      assertTrue(user.matches("[1-9]\\d*:\\d+"), "a numeric non-root user:group: " + user);
      for (JsonNode layer : manifest.get("Layers")) {
        run(root, "tar", "-xzf", unpacked.resolve(layer.asText()).toString());
      }
      Files.createDirectories(root.resolve("proc"));
      Files.createDirectories(root.resolve("dev"));

      try (ChildServer server = ChildServer.run(containerCommand(root, config, user))) {
        String ready = "http://127.0.0.1:" + server.port() + "/ready";
        Await.until("/ready answers 200", () -> Http.get(ready).statusCode() == 200);
        writeAndReadBack(server);
      }
      try (Stream<Path> files = Files.list(root.resolve("data"))) {
        List<Path> written = files.toList();
        assertNotEquals(List.of(), written, "the store writes into the /data volume");
        for (Path file : written) {
          assertEquals(Integer.valueOf(user.split(":")[0]), Files.getAttribute(file, "unix:uid"),
              file + " is the image user's");
        }
      }
    } finally {
      run(Path.of("."), "rm", "-rf", unpacked.toString());
    }
  }

  /**
   * The image's entrypoint and command inside {@code root}, in a mount namespace of its own (its
   * mounts go when the process does) with /proc and /dev mounted as a runtime mounts them, then
   * with the image's environment only (and {@code LIVESTATE_PORT=0}, as {@code docker run -e}
   * would give it, for a free port), root, working directory and user.
   */
  private static List<String> containerCommand(Path root, JsonNode config, String user) {
    List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--propagation",
        "private", "/bin/sh", "-ec",
        "mount -t proc proc \"$1/proc\"; mount --rbind /dev \"$1/dev\"; shift; exec \"$@\"",
        "sh", root.toString(), "env", "-i"));
    config.path("Env").forEach(variable -> command.add(variable.asText()));
    command.add("LIVESTATE_PORT=0");
    String[] ids = user.split(":");
    command.addAll(List.of(hostCommand("unshare"), "--root=" + root,
        "--wd=" + config.path("WorkingDir").asText("/"),
        "--setuid=" + ids[0], "--setgid=" + ids[1]));
    config.get("Entrypoint").forEach(argument -> command.add(argument.asText()));
    config.path("Cmd").forEach(argument -> command.add(argument.asText()));
    return command;
  }

  private static void writeAndReadBack(ChildServer server) throws Exception {
    try (WebSocketClient writer = WebSocketClient.connect(server.ws());
        WebSocketClient reader = WebSocketClient.connect(server.ws())) {
      reader.send(Map.of("type", "join", "id", 1, "room", "image", "create", true));
      assertEquals(0, reader.awaitType("joined").get("seq").asLong());
      writer.send(Map.of("type", "join", "id", 1, "room", "image"));
      writer.awaitType("joined");
      writer.send(Map.of("type", "submit", "id", 2, "room", "image", "changes", List.of(
          Map.of("localSeq", 1, "baseSeq", 0, "set", Map.of("greeting", "from the image")))));
      assertEquals(1, writer.awaitType("result").get("acks").get(0).get("seq").asLong());
      JsonNode ops = reader.awaitType("ops");
      assertEquals("from the image", ops.get("ops").get(0).get("set").get("greeting").asText());
    }
  }
}
