package dev.livestate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.testkit.websocket.WebSocketClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged server, started as an operator starts it (no -XX options), hands back the heap a
 * burst of connections grew once it is quiet again, as {@code jcmd <pid> GC.heap_info} shows it
 * (which forces no collection); a flag on the command line stays the operator's.
 */
class HeapReturnTest {
  private static final Pattern COMMITTED = Pattern.compile("garbage-first heap\\s+total (\\d+)K");

  /** The burst's clients all come from the loopback address; nothing else is changed. */
  private static final String[] BURST_FROM_ONE_ADDRESS = {"--limits-max-connections-per-address", "0"};

  /**
   * G1 grows its heap when collections take more than 1/(1 + GCTimeRatio) of the time; its
   * default of 12 leaves it to chance whether a burst of one test's clients does that, 99 makes
   * sure it does. What happens to the grown heap afterwards is the server's.
   */
  private static final List<String> GROWS_AT_A_BURST = List.of("-XX:GCTimeRatio=99");

  /** What a quiet server's heap comes down to: its live data is some 20 MB. */
  private static final long QUIET_HEAP_KB = 64 * 1024;

  @TempDir
  Path data;

  @Test
  void aBurstsHeapIsHandedBackSoonAfterTheServerGoesQuiet() throws Exception {
    try (ChildServer server = ChildServer.start(GROWS_AT_A_BURST, data, BURST_FROM_ONE_ADDRESS)) {
      assertEquals("10", flag(server, "MaxHeapFreeRatio"));
      // starting up grows the heap too (G1 expands it at its first collections)
      long quiet = committedWithin(server, 10, QUIET_HEAP_KB);
      assertTrue(quiet <= QUIET_HEAP_KB, "a server that has just started keeps " + quiet + " KB");
      long grown = burst(server);
      assertTrue(grown > quiet + 32 * 1024, "the burst grew the heap: " + quiet + " KB → " + grown);
      long after = committedWithin(server, 10, grown - (grown - quiet) / 2);
      assertTrue(after <= grown - (grown - quiet) / 2, "half of what the burst grew handed back"
          + " within 10 s: " + quiet + " KB before the burst, " + grown + " after, " + after + " now");
      // the watcher puts the flag back at its first look (every 500 ms) after the collection ran
      assertEquals("0", flagWithin(server, 5, "G1PeriodicGCInterval", "0"),
          "the one collection asked for, then the flag put back");
    }
  }

  @Test
  void withoutTheIdleCollectionTheHeapStaysGrown() throws Exception {
    try (ChildServer server = ChildServer.start(GROWS_AT_A_BURST, data,
        BURST_FROM_ONE_ADDRESS[0], BURST_FROM_ONE_ADDRESS[1], "--memory-idle-collection", "0s")) {
      long grown = burst(server);
      Thread.sleep(5000);
      long now = committedKb(server);
      assertTrue(now > grown * 9 / 10, "kept: " + grown + " KB after the burst, " + now + " now");
    }
  }

  @Test
  void aJvmOptionWins() throws Exception {
    try (ChildServer server = ChildServer.start(
        List.of("-XX:MaxHeapFreeRatio=50", "-XX:G1PeriodicGCInterval=60000"), data,
        "--memory-max-free-heap", "30")) {
      assertEquals("50", flag(server, "MaxHeapFreeRatio"));
      assertEquals("60000", flag(server, "G1PeriodicGCInterval"));
    }
  }

  /**
   * Connects 5,000 UI-sync (Socket.IO) clients, eight at a time, as a page load after a restart
   * does; closes them and returns the heap committed.
   */
  private static long burst(ChildServer server) throws Exception {
    List<WebSocketClient> clients = Collections.synchronizedList(new ArrayList<>());
    ExecutorService connecting = Executors.newFixedThreadPool(8);
    String url = "ws://127.0.0.1:" + server.port() + "/socket.io/?EIO=4&transport=websocket";
    try {
      List<Future<?>> connects = new ArrayList<>();
      for (int i = 0; i < 5000; i++) {
        connects.add(connecting.submit(() -> {
          WebSocketClient ws = WebSocketClient.connect(url);
          clients.add(ws);
          ws.nextText(t -> t.startsWith("0{"));
          ws.send("40");
          return ws.nextText(t -> t.startsWith("40{"));
        }));
      }
      for (Future<?> connected : connects) {
        connected.get();
      }
      return committedKb(server);
    } finally {
      connecting.shutdownNow();
      for (WebSocketClient ws : clients) {
        ws.close();
      }
    }
  }

  /** The heap committed once it is at most {@code kb}, or after {@code seconds}. */
  private static long committedWithin(ChildServer server, int seconds, long kb) throws Exception {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    long now = committedKb(server);
    while (now > kb && System.nanoTime() < deadline) {
      Thread.sleep(250);
      now = committedKb(server);
    }
    return now;
  }

  private static long committedKb(ChildServer server) throws Exception {
    Matcher m = COMMITTED.matcher(jcmd(server, "GC.heap_info"));
    assertTrue(m.find(), "G1's heap in jcmd's answer");
    return Long.parseLong(m.group(1));
  }

  /** The flag's value once it is {@code value}, or after {@code seconds}. */
  private static String flagWithin(ChildServer server, int seconds, String name, String value)
      throws Exception {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    String now = flag(server, name);
    while (!now.equals(value) && System.nanoTime() < deadline) {
      Thread.sleep(250);
      now = flag(server, name);
    }
    return now;
  }

  /** The value of {@code name} in the JVM's own flags, as jcmd prints them (0 when unset). */
  private static String flag(ChildServer server, String name) throws Exception {
    String out = jcmd(server, "VM.flags", "-all");
    Matcher m = Pattern.compile("\\b" + name + "\\s+=\\s+(\\S+)").matcher(out);
    return m.find() ? m.group(1) : "not printed: " + out;
  }

  private static String jcmd(ChildServer server, String... command) throws Exception {
    List<String> args = new ArrayList<>(List.of("jcmd", Long.toString(server.pid())));
    args.addAll(List.of(command));
    Process jcmd = new ProcessBuilder(args).redirectErrorStream(true).start();
    String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    jcmd.waitFor();
    return out;
  }
}
