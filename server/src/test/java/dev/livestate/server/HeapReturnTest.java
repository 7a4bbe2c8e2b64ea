package dev.livestate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged server, started as an operator starts it (no -XX options), sets the JVM flags that
 * hand back a connection burst's heap, as {@code jcmd <pid> VM.flags} shows them; a flag on the
 * command line stays the operator's.
 */
class HeapReturnTest {
  @TempDir
  Path data;

  @Test
  void withoutJvmOptionsTheServerCollectsWhenIdleAndKeepsLittleFreeHeap() throws Exception {
    try (ChildServer server = ChildServer.start(data)) {
      assertEquals("30000", flag(server, "G1PeriodicGCInterval"));
      assertEquals("20", flag(server, "MaxHeapFreeRatio"));
    }
  }

  @Test
  void settingsChangeThemAndAJvmOptionWins() throws Exception {
    try (ChildServer server = ChildServer.start(List.of("-XX:MaxHeapFreeRatio=50"), data,
        "--memory-idle-collection", "7s", "--memory-max-free-heap", "30")) {
      assertEquals("7000", flag(server, "G1PeriodicGCInterval"));
      assertEquals("50", flag(server, "MaxHeapFreeRatio"));
    }
    try (ChildServer server = ChildServer.start(List.of("-XX:G1PeriodicGCInterval=60000"), data)) {
      assertEquals("60000", flag(server, "G1PeriodicGCInterval"));
    }
    try (ChildServer server = ChildServer.start(data, "--memory-idle-collection", "0s")) {
      assertEquals("0", flag(server, "G1PeriodicGCInterval"));
    }
  }

  /** The value of {@code name} in the JVM's own flags, as jcmd prints them (0 when unset). */
  private static String flag(ChildServer server, String name) throws Exception {
    Process jcmd = new ProcessBuilder("jcmd", Long.toString(server.pid()), "VM.flags", "-all")
        .redirectErrorStream(true).start();
    String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    jcmd.waitFor();
    Matcher m = Pattern.compile("\\b" + name + "\\s+=\\s+(\\S+)").matcher(out);
    return m.find() ? m.group(1) : "not printed: " + out;
  }
}
