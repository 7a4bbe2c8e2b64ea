package dev.livestate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.testkit.await.Await;
import dev.livestate.testkit.database.Prerequisite;
import dev.livestate.testkit.http.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The container image the build makes with {@code -Pimage} (jib's buildTar): its config is read
 * from the tar, its application layers unpacked, and the process started exactly as its
 * entrypoint and command say — with the image's own files under a temporary root in place of
 * {@code /} and this machine's {@code java} — until it answers {@code /ready}. Without the tar
 * (no registry to pull the base image from) it is skipped, and fails on CI.
 */
class ContainerImageTest {
  private static final Path IMAGE = Path.of("target", "livestate-image.tar");

  private static void run(Path dir, String... command) throws Exception {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .start();
    p.getInputStream().readAllBytes();
    p.waitFor(60, TimeUnit.SECONDS);
  }

  @Test
  void theImageStartsAsItsEntrypointSaysAndAnswersReady() throws Exception {
    if (!Files.isRegularFile(IMAGE)) {
      throw Prerequisite.missing("no " + IMAGE + ": build it with ./mvnw -pl server -am package"
          + " -Pimage (it pulls eclipse-temurin:17-jre)");
    }
    Path unpacked = Files.createTempDirectory("livestate-image");
    Path root = Files.createDirectories(unpacked.resolve("root"));
    run(unpacked, "tar", "-xf", IMAGE.toAbsolutePath().toString());
    ObjectMapper json = new ObjectMapper();
    JsonNode manifest = json.readTree(unpacked.resolve("manifest.json").toFile()).get(0);
    JsonNode config = json.readTree(unpacked.resolve(manifest.get("Config").asText()).toFile())
        .get("config");
    assertTrue(config.path("ExposedPorts").has("8080/tcp"), config.toString());
    for (JsonNode layer : manifest.get("Layers")) {
      // only the application's files: the base image's JRE is this machine's java
      run(root, "tar", "-xzf", unpacked.resolve(layer.asText()).toString(), "app");
    }
    List<String> command = new ArrayList<>();
    config.get("Entrypoint").forEach(a -> command.add(a.asText()));
    config.path("Cmd").forEach(a -> command.add(a.asText()));
    assertEquals("java", command.get(0), command.toString());
    command.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
    Path classpathFile = root.resolve("app/jib-classpath-file");
    Files.writeString(classpathFile,
        Files.readString(classpathFile).replace("/app/", root + "/app/"));
    command.replaceAll(a -> a.replace("@/app/", "@" + root + "/app/")
        .replace("/data", unpacked.resolve("data").toString()));
    command.addAll(List.of("--port", "0"));
    try (ChildServer server = ChildServer.run(command)) {
      String ready = "http://127.0.0.1:" + server.port() + "/ready";
      Await.until("/ready answers 200", () -> Http.get(ready).statusCode() == 200);
    }
  }
}
