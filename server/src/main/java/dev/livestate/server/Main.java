package dev.livestate.server;

import dev.livestate.server.config.OperationsSettings;
import dev.livestate.server.config.Settings;
import dev.livestate.server.logging.Logs;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * {@code livestate [--option value]...}: starts the server; {@code --help} lists the options.
 * {@code livestate token ...} prints a development token instead (see {@link TokenCommand});
 * {@code livestate backup|restore FILE} copies the SQLite store (see {@link BackupCommand}).
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    List<String> argv = Arrays.asList(args);
    if (!argv.isEmpty() && argv.get(0).equals("token")) {
      System.exit(TokenCommand.run(argv.subList(1, argv.size()), System.getenv()));
      return;
    }
    if (!argv.isEmpty() && (argv.get(0).equals("backup") || argv.get(0).equals("restore"))) {
      System.exit(BackupCommand.run(argv.get(0), argv.subList(1, argv.size()), System.getenv()));
      return;
    }
    if (argv.contains("--help") || argv.contains("-h")) {
      System.out.print(Settings.help(LivestateServer.allSettings()));
      return;
    }
    if (argv.contains("--print-config-reference")) {
      System.out.print(Settings.reference(LivestateServer.allSettings()));
      return;
    }
    boolean printConfig = argv.contains("--print-config");
    String[] rest = argv.stream().filter(a -> !a.equals("--print-config")).toArray(String[]::new);
    Settings settings;
    try {
      settings = Settings.load(LivestateServer.allSettings(), rest, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("livestate: " + e.getMessage());
      System.exit(2);
      return;
    }
    Logs.setUp(settings.get(OperationsSettings.LOG_FORMAT));
    if (printConfig) {
      System.out.print(settings.describe());
      return;
    }
    LivestateServer server;
    try {
      server = LivestateServer.start(settings);
    } catch (IllegalArgumentException e) {
      // a setting that parsed but cannot be used: a key file that holds no key, a short secret
      System.err.println("livestate: " + e.getMessage());
      System.exit(2);
      return;
    }
    // SIGTERM is how a service manager asks for a stop: once the hook below has stopped the
    // server, exit 0 (a stop that went well) rather than the JVM's 143 for "killed by a signal"
    Signal.handle(new Signal("TERM"), signal -> System.exit(0));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "shutdown"));
    stopped.await();
  }
}
