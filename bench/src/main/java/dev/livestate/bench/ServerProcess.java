package dev.livestate.bench;

import java.io.BufferedReader;
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
 * The packaged server as a child process, so its CPU time can be read from the OS apart from
 * the load generator's.
 */
public final class ServerProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on port (\\d+)");
  private final Process process;
  private final int port;

  private ServerProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** The jar benchmarks start unless told otherwise: $LIVESTATE_JAR or the packaged server. */
  public static String defaultJar() {
    return System.getenv().getOrDefault("LIVESTATE_JAR", "server/target/livestate.jar");
  }

  /** Starts {@link #defaultJar()} with extra flags. */
  public static ServerProcess start(String... flags) throws Exception {
    return startJar(defaultJar(), flags);
  }

  /**
   * Flags that lift a jar's per-client abuse limits (rate of changes and joins, rooms created,
   * connections per address), for load programs whose few connections stand in for many
   * clients; none for a build from before those limits existed.
   */
  public static List<String> unlimited(String jar) throws Exception {
    Process help = new ProcessBuilder("java", "-jar", jar, "--help").redirectErrorStream(true)
        .start();
    String text = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    help.waitFor(30, TimeUnit.SECONDS);
    List<String> flags = new ArrayList<>();
    for (String limit : List.of("--limits-changes-per-second", "--limits-joins-per-second",
        "--limits-room-creations-per-minute", "--limits-max-rooms",
        "--limits-max-connections-per-address")) {
      if (Pattern.compile(Pattern.quote(limit) + "(?![\\w-])").matcher(text).find()) {
        flags.addAll(List.of(limit, "0"));
      }
    }
    return flags;
  }

  /**
   * Starts the given jar with extra flags, on a free port and, unless the flags name one, a fresh
   * temporary data directory; the system property {@code server.jvm} adds JVM flags (a profiler).
   */
  public static ServerProcess startJar(String jar, String... flags) throws Exception {
    if (!Files.exists(Path.of(jar))) {
      throw new IllegalStateException(jar + " not found: run ./mvnw package -DskipTests first");
    }
    List<String> cmd = new ArrayList<>(List.of("java", "-Xmx2g"));
    for (String flag : System.getProperty("server.jvm", "").split(" ")) {
      if (!flag.isBlank()) {
        cmd.add(flag);
      }
    }
    cmd.addAll(List.of("-jar", jar, "--port", "0"));
    if (!List.of(flags).contains("--data-dir")) {
      cmd.addAll(List.of("--data-dir", Files.createTempDirectory("livestate-bench-").toString()));
    }
    cmd.addAll(List.of(flags));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        boolean echo = System.getenv("BENCH_SERVER_LOG") != null;
        while ((line = r.readLine()) != null) {
          if (echo) {
            System.err.println("server: " + line);
          }
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            port.complete(Integer.parseInt(m.group(1)));
          }
        }
      } catch (Exception ignored) {
        // process ended
      }
    });
    t.setDaemon(true);
    t.start();
    return new ServerProcess(p, port.get(60, TimeUnit.SECONDS));
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  /** User + system CPU time of the server process so far, in seconds (from /proc). */
  public double cpuSeconds() throws Exception {
    return cpuSeconds(process.pid());
  }

  public static double cpuSeconds(long pid) throws Exception {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
    return ticks / 100.0;
  }

  /** User + system CPU time of the server process so far, in milliseconds. */
  public long cpuMillis() throws Exception {
    return cpuMillisOf(process.pid());
  }

  /** User + system CPU time of any process (this one too), in milliseconds. */
  public static long cpuMillisOf(long pid) throws Exception {
    return Math.round(cpuSeconds(pid) * 1000);
  }

  /** Resident memory of the server process, in bytes. */
  public long rssBytes() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
      }
    }
    return -1;
  }

  /** Kills the server with SIGKILL, as a crash would, and waits for it to be gone. */
  public void kill() throws Exception {
    process.destroyForcibly();
    process.waitFor(15, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    process.waitFor(15, TimeUnit.SECONDS);
  }
}
