package dev.livestate.testkit.database;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of one test's own ({@code initdb} into a temporary directory, {@code pg_ctl}
 * on a free port, trust authentication for {@code postgres}), so the test can stop it like a crash
 * and start it again without touching the machine's shared database. The binaries are Debian's
 * ({@code /usr/lib/postgresql/<newest version>/bin}); without them the test is skipped, or fails
 * on CI ({@link Prerequisite}). PostgreSQL refuses to run as root, so under root the commands run
 * as the {@code postgres} user, which then owns the directory.
 */
public final class PrivatePostgres implements AutoCloseable {
  private static final Path DEBIAN_INSTALLS = Path.of("/usr/lib/postgresql");
  private static final String OWNER = "postgres";

  public final String user = OWNER;
  private final Path bin;
  private final Path dir;
  private final Path data;
  private final int port;
  private boolean running;

  private PrivatePostgres(Path bin, Path dir, int port) {
    this.bin = bin;
    this.dir = dir;
    this.data = dir.resolve("data");
    this.port = port;
  }

  /** Initialises a cluster and starts it; the caller closes it. */
  public static PrivatePostgres create() throws IOException, InterruptedException {
    Path bin = newestBin();
    Path dir = Files.createTempDirectory("livestate-pg");
    PrivatePostgres pg = new PrivatePostgres(bin, dir, freePort());
    try {
      if (asRoot()) {
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(dir, users.lookupPrincipalByName(OWNER));
      }
      pg.run("initdb", "-D", pg.data.toString(), "-U", OWNER, "--auth=trust", "-E", "UTF8",
          "--no-sync");
      pg.start();
      return pg;
    } catch (IOException | InterruptedException | RuntimeException e) {
      pg.close();
      throw e;
    }
  }

  private static Path newestBin() {
    try (Stream<Path> versions = Files.list(DEBIAN_INSTALLS)) {
      return versions.map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
          .max(Comparator.comparingInt(PrivatePostgres::majorVersion))
          .orElseThrow(() -> Prerequisite.missing("no pg_ctl under " + DEBIAN_INSTALLS));
    } catch (IOException e) {
      throw Prerequisite.missing("PostgreSQL is not installed in " + DEBIAN_INSTALLS + ": " + e);
    }
  }

  private static int majorVersion(Path bin) {
    String version = bin.getParent().getFileName().toString();
    return version.matches("\\d+") ? Integer.parseInt(version) : -1;
  }

  private static int freePort() throws IOException {
    try (ServerSocket free = new ServerSocket(0)) {
      return free.getLocalPort();
    }
  }

  private static boolean asRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** The JDBC URL of its {@code postgres} database; the same across a stop and start. */
  public String url() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  /** Starts the server on its port and data directory, waiting until it accepts connections. */
  public void start() throws IOException, InterruptedException {
    run("pg_ctl", "-D", data.toString(), "-l", dir.resolve("server.log").toString(), "-w",
        "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1", "start");
    running = true;
  }

  /** Stops it as a crash would ({@code -m immediate}: no checkpoint, clients cut off). */
  public void stop() throws IOException, InterruptedException {
    run("pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "stop");
    running = false;
  }

  private void run(String program, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    if (asRoot()) {
      command.addAll(List.of("runuser", "-u", OWNER, "--"));
    }
    command.add(bin.resolve(program).toString());
    command.addAll(List.of(args));
    Path output = Files.createTempFile("livestate-pg-command", ".txt");
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(output.toFile()).start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(program + " did not finish within 60 s");
      }
      if (p.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ":\n"
            + Files.readString(output) + serverLog());
      }
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private String serverLog() throws IOException {
    Path log = dir.resolve("server.log");
    return Files.exists(log) ? "\nserver.log:\n" + Files.readString(log) : "";
  }

  /** Stops the server if it runs and deletes its directory. */
  @Override
  public void close() throws IOException, InterruptedException {
    try {
      if (running) {
        stop();
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(f);
        }
      }
    }
  }
}
