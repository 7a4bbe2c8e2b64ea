package dev.livestate.server;

import dev.livestate.server.config.Settings;
import dev.livestate.testkit.http.Http;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real server in this JVM on a free port, with its own data directory, and the calls tests make
 * to it. Either {@link #start started} by the test, or {@link #perClass one per test class}:
 * registered as a JUnit extension, started before the class's first test and closed after its
 * last. Its settings start from {@code store.sync=normal} (the tests check what the server does,
 * not the disk); a data directory it made itself is deleted on close. The system property
 * {@value #EVENT_LOOPS_PROPERTY} sets {@code event-loops} where a test does not, so any test class
 * can be run with more event loops than the machine has cores.
 *
 * <p>It lives in the server's tests, not in the testkit: starting a server takes the server's
 * classes, and the testkit depends on the core only.
 */
public final class TestServer implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
  public static final String EVENT_LOOPS_PROPERTY = "livestate.test.event-loops";

  private final Map<String, String> settings;
  private final Path givenDataDir;
  private LivestateServer server;
  private Path dataDir;

  private TestServer(Path dataDir, Map<String, String> settings) {
    this.givenDataDir = dataDir;
    this.settings = Map.copyOf(settings);
  }

  /** Starts a server with these settings over the defaults, in a fresh data directory. */
  public static TestServer start(Map<String, String> settings) throws Exception {
    Path dir = settings.containsKey("data-dir") ? Path.of(settings.get("data-dir")) : null;
    return new TestServer(dir, settings).started();
  }

  public static TestServer start() throws Exception {
    return start(Map.of());
  }

  /** Starts a server on {@code dataDir}: a second one there finds what the first one stored. */
  public static TestServer start(Path dataDir, Map<String, String> settings) throws Exception {
    return new TestServer(dataDir, settings).started();
  }

  /**
   * A server for every test of a class, with these settings: hold it in a static field marked
   * {@code @RegisterExtension}.
   */
  public static TestServer perClass(Map<String, String> settings) {
    return new TestServer(null, settings);
  }

  public static TestServer perClass() {
    return perClass(Map.of());
  }

  private TestServer started() throws Exception {
    dataDir = givenDataDir != null ? givenDataDir : Files.createTempDirectory("livestate-test");
    Map<String, String> all = new HashMap<>();
    all.put("store.sync", "normal");
    String loops = System.getProperty(EVENT_LOOPS_PROPERTY);
    if (loops != null && !loops.isBlank()) {
      all.put("event-loops", loops);
    }
    all.putAll(settings);
    all.put("port", "0");
    all.put("data-dir", dataDir.toString());
    server = LivestateServer.start(Settings.of(LivestateServer.allSettings(), all));
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    started();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  public LivestateServer server() {
    if (server == null) {
      throw new IllegalStateException("the server is not started");
    }
    return server;
  }

  public int port() {
    return server().port();
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The WebSocket URL of {@code path} (with its query) on this server. */
  public String ws(String path) {
    return "ws://127.0.0.1:" + port() + path;
  }

  /** The HTTP URL of {@code path} (with its query) on this server. */
  public String http(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  /** Opens a WebSocket to {@code path}; a refused upgrade throws the JDK's ExecutionException. */
  public WebSocketClient socket(String path) throws Exception {
    return WebSocketClient.connect(ws(path));
  }

  /**
   * Tries a WebSocket upgrade of {@code path} with headers as names and values in turns: 101
   * when it opened (closed again at once), else the status it was refused with.
   */
  public int upgradeStatus(String path, String... headers) throws Exception {
    return Http.upgradeStatus(ws(path), headers);
  }

  public HttpResponse<String> get(String path) throws Exception {
    return Http.get(http(path));
  }

  /** A POST of {@code body}, with headers given as names and values in turns. */
  public HttpResponse<String> post(String path, String body, String... headers) throws Exception {
    return Http.post(http(path), body, headers);
  }

  /** A request of any method without a body, with headers as names and values in turns. */
  public HttpResponse<String> send(String method, String path, String... headers)
      throws Exception {
    return Http.send(method, http(path), headers);
  }

  @Override
  public void close() {
    if (server == null) {
      return;
    }
    server.close();
    server = null;
    if (givenDataDir == null) {
      deleteTree(dataDir);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete the test data directory " + dir, e);
    }
  }
}
