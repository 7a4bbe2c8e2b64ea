package dev.livestate.server;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server in a child process of its own, on a data directory a test gives it, so that the test
 * can kill it as a crash would (SIGKILL: nothing is flushed, no shutdown hook runs) and start
 * another on what it left.
 */
public final class ChildServer implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on port (\\d+)");

  private final Process process;
  private final int port;
  private final StringBuffer log;

  private ChildServer(Process process, int port, StringBuffer log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts a server on {@code dataDir} with {@code --store-sync full} and {@code args}. */
  public static ChildServer start(Path dataDir, String... args) throws Exception {
    return start(List.of(), dataDir, args);
  }

  /** Starts a server as above in a JVM given {@code jvmOptions} (e.g. {@code -Xmx192m}). */
  public static ChildServer start(List<String> jvmOptions, Path dataDir, String... args)
      throws Exception {
    List<String> command = new ArrayList<>(List.of("java"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        "dev.livestate.server.Main", "--port", "0", "--data-dir", dataDir.toString(),
        "--store-sync", "full"));
    command.addAll(List.of(args));
    return run(command);
  }

  /** Runs {@code command}, a server's whole command line, until it says where it listens. */
  public static ChildServer run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    StringBuffer log = new StringBuffer();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          log.append(line).append('\n');
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            port.complete(Integer.parseInt(m.group(1)));
          }
        }
      } catch (Exception ignored) {
        // the process was killed
      }
      port.completeExceptionally(new AssertionError("server exited:\n" + log));
    });
    reader.setDaemon(true);
    reader.start();
    try {
      return new ChildServer(p, port.get(60, TimeUnit.SECONDS), log);
    } catch (Exception e) {
      p.destroyForcibly();
      throw e;
    }
  }

  /** The child's process id (for jcmd). */
  public long pid() {
    return process.pid();
  }

  public int port() {
    return port;
  }

  /** Everything the process has written so far, stdout and stderr together. */
  public String log() {
    return log.toString();
  }

  /** The native protocol's WebSocket URL. */
  public String ws() {
    return "ws://127.0.0.1:" + port + "/ws";
  }

  /** Pauses the process (SIGSTOP), as a long GC pause or a frozen VM would. */
  public void pause() throws Exception {
    signal("STOP");
  }

  /** Lets a paused process go on (SIGCONT). */
  public void resume() throws Exception {
    signal("CONT");
  }

  private void signal(String name) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
    }
  }

  /** Kills the process with SIGKILL, as a crash would, and waits for it to be gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /**
   * Sends SIGTERM, as an init system stopping the service does, and returns the exit code once
   * the process is gone (-1: it did not stop within {@code seconds} and was killed).
   */
  public int terminate(long seconds) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      kill();
      return -1;
    }
    return process.exitValue();
  }

  /** Stops the process gracefully (SIGTERM), killing it if it does not stop in time. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      kill();
    }
  }
}
