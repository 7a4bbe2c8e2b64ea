package dev.livestate.server;

import dev.livestate.server.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** A real server in this JVM on a free port with its own data directory. */
public final class TestServer implements AutoCloseable {
  private final LivestateServer server;
  private final Path dataDir;

  private TestServer(LivestateServer server, Path dataDir) {
    this.server = server;
    this.dataDir = dataDir;
  }

  public static TestServer start(Map<String, String> overrides) throws Exception {
    Path dir = overrides.containsKey("data-dir") ? Path.of(overrides.get("data-dir"))
        : Files.createTempDirectory("livestate-test");
    Map<String, String> s = new HashMap<>();
    s.put("port", "0");
    s.put("data-dir", dir.toString());
    s.put("store.sync", "normal");
    s.putAll(overrides);
    return new TestServer(LivestateServer.start(Settings.of(LivestateServer.allSettings(), s)), dir);
  }

  public static TestServer start() throws Exception {
    return start(Map.of());
  }

  public LivestateServer server() {
    return server;
  }

  public int port() {
    return server.port();
  }

  public String ws(String path) {
    return "ws://127.0.0.1:" + port() + path;
  }

  public String http(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  public Path dataDir() {
    return dataDir;
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
