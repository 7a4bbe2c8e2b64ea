package dev.livestate.bench.synk;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged server ({@code server/target/livestate.jar}) as a child process on a free port,
 * with its CPU time read from {@code /proc/<pid>/stat} (utime + stime).
 */
public final class ServerProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on port (\\d+)");
  private final Process process;
  private final int port;
  private final Path dataDir;

  private ServerProcess(Process process, int port, Path dataDir) {
    this.process = process;
    this.port = port;
    this.dataDir = dataDir;
  }

  public static ServerProcess start(String jar, String... args) throws Exception {
    Path dir = Files.createTempDirectory("livestate-bench-");
    List<String> cmd = new ArrayList<>(List.of("java", "-Xmx1g", "-jar", jar, "--port", "0",
        "--data-dir", dir.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            port.complete(Integer.parseInt(m.group(1)));
          } else if (line.contains("WARN") || line.contains("ERROR")) {
            System.err.println("[server] " + line);
          }
        }
      } catch (IOException e) {
        port.completeExceptionally(e);
      }
      port.completeExceptionally(new IllegalStateException("server exited before listening"));
    }, "server-output");
    reader.setDaemon(true);
    reader.start();
    return new ServerProcess(p, port.get(60, TimeUnit.SECONDS), dir);
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  /** The server's CPU time so far (user + system), in milliseconds. */
  public long cpuMillis() throws IOException {
    return cpuMillisOf(process.pid());
  }

  /** CPU time (user + system) of any process, e.g. the load generator itself, in ms. */
  public static long cpuMillisOf(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
    return ticks * 10; // USER_HZ is 100 on Linux
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    try (var files = Files.walk(dataDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
