package dev.livestate.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.server.LivestateServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The real entry point (Main, in a child JVM) resolves every setting from its default, the
 * {@code --config} file, the environment ({@code LIVESTATE_<KEY>}) and flags, later ones
 * winning; {@code --print-config} shows the outcome. Finer cases call the parsing Main calls.
 */
class ConfigPrecedenceTest {
  /** What a run of Main printed and how it exited. */
  record Run(int exit, String out, String err) {
    /** --print-config's lines as key → value. */
    Map<String, String> config() {
      Map<String, String> c = new LinkedHashMap<>();
      for (String line : out.split("\n")) {
        int eq = line.indexOf(" = ");
        assertTrue(eq > 0, "not a 'key = value' line: " + line);
        String previous = c.put(line.substring(0, eq), line.substring(eq + 3));
        assertEquals(null, previous, "printed twice: " + line);
      }
      return c;
    }
  }

  static Run main(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", // a quick start for a short run
        "-cp", System.getProperty("java.class.path"), "dev.livestate.server.Main"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().keySet().removeIf(k -> k.startsWith("LIVESTATE_"));
    pb.environment().putAll(env);
    Path out = Files.createTempFile("livestate-main", ".out");
    Path err = Files.createTempFile("livestate-main", ".err");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "Main did not exit");
    } finally {
      p.destroyForcibly();
    }
    return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  static Path configFile(String json) throws Exception {
    Path file = Files.createTempFile("livestate-config", ".json");
    Files.writeString(file, json);
    return file;
  }

  @Test
  void aFlagBeatsTheEnvironmentWhichBeatsTheFileWhichBeatsTheDefault() throws Exception {
    Path file = configFile("{\"native\":{\"path\":\"/from-file\"},\"meet\":{\"path\":\"/file-meet\"},"
        + "\"limits\":{\"max-json-depth\":10},\"lanes\":3}");
    // one run of the real entry point shows both the precedence and that every setting is printed
    Run run = main(Map.of("LIVESTATE_NATIVE_PATH", "/from-env",
            "LIVESTATE_LIMITS_MAX_JSON_DEPTH", "20", "LIVESTATE_HOST", "127.0.0.2"),
        "--config", file.toString(), "--native-path", "/from-flag", "--store-sync=normal",
        "--print-config");
    assertEquals(0, run.exit(), run.err());
    Map<String, String> config = run.config();
    assertEquals("/from-flag", config.get("native.path"), "flag over environment and file");
    assertEquals("20", config.get("limits.max-json-depth"), "environment over file (nested key)");
    // (not a secret such as auth.hmac-secret: --print-config hides those, see SecretSettingsTest)
    assertEquals("/file-meet", config.get("meet.path"), "file over default");
    assertEquals("3", config.get("lanes"));
    assertEquals("127.0.0.2", config.get("host"), "environment over default");
    assertEquals("normal", config.get("store.sync"), "--flag=value form");
    assertEquals("8080", config.get("port"), "default");
    assertEquals(file.toString(), config.get("config"));
    TreeSet<String> every = new TreeSet<>();
    LivestateServer.allSettings().forEach(k -> every.add(k.key()));
    every.add("config");
    assertEquals(every, new TreeSet<>(config.keySet()), "--print-config shows every setting once");
    assertEquals(ServerSettings.WRITE_DELAY.defaultText(), config.get("websocket.write-delay"));
  }

  @Test
  void theConfigFileCanBeNamedInTheEnvironmentAndAFlagStillWins() throws Exception {
    Path file = configFile("{\"cors.origins\":\"https://file.example\",\"shutdown\":{\"grace\":\"3s\"}}");
    Settings s = Settings.load(LivestateServer.allSettings(),
        new String[] {"--shutdown.grace", "4s"}, Map.of("LIVESTATE_CONFIG", file.toString()));
    assertEquals("https://file.example", s.get(ServerSettings.CORS_ORIGINS));
    assertEquals(java.time.Duration.ofSeconds(4), s.get(ServerSettings.SHUTDOWN_GRACE),
        "--<key> is a flag too");
  }

  @Test
  void aBadValueStopsMainWithExitCodeTwoAndTheReason() throws Exception {
    Run badValue = main(Map.of(), "--port", "eighty");
    assertEquals(2, badValue.exit());
    assertTrue(badValue.err().contains("invalid value 'eighty' for port"), badValue.err());
  }

  @Test
  void unknownKeysAndBadValuesFromAnySourceAreRefused() throws Exception {
    List<dev.livestate.server.config.Setting<?>> all = LivestateServer.allSettings();
    Map<String[], Map<String, String>> cases = new LinkedHashMap<>();
    cases.put(new String[] {}, Map.of("LIVESTATE_LIMITS_MAX_QUEUED", "lots"));
    cases.put(new String[] {"--config", configFile("{\"prot\":1}").toString()}, Map.of());
    cases.put(new String[] {"--colour", "blue"}, Map.of());
    cases.put(new String[] {"--port"}, Map.of());
    List<String> expected = List.of("limits.max-queued", "unknown setting 'prot'",
        "unknown option --colour", "--port needs a value");
    int i = 0;
    for (Map.Entry<String[], Map<String, String>> c : cases.entrySet()) {
      String why = expected.get(i++);
      IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
          IllegalArgumentException.class, () -> Settings.load(all, c.getKey(), c.getValue()), why);
      assertTrue(e.getMessage().contains(why), e.getMessage());
    }
  }
}
