package dev.livestate.server;

import dev.livestate.engine.Engine;
import dev.livestate.server.config.Settings;
import dev.livestate.server.store.StoreConfig;
import dev.livestate.server.store.StoreFactory;
import dev.livestate.server.store.StoreLocation;
import dev.livestate.store.jdbc.SqliteBackup;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * {@code livestate backup FILE [--data-dir DIR]}: a consistent copy of the SQLite store, taken
 * while the server runs. {@code livestate restore FILE [--data-dir DIR]}: puts a backup in place
 * of the store, with the server stopped; its rooms get new epochs (docs/operations.md). The
 * store is found from the same settings the server reads (flags, environment, config file).
 */
final class BackupCommand {
  static final String USAGE = "usage: livestate backup|restore FILE [--data-dir DIR]\n";

  private BackupCommand() {}

  /** Returns the exit status; prints what was done, or why not. */
  static int run(String command, List<String> args, Map<String, String> env) {
    if (args.isEmpty() || args.get(0).startsWith("--")) {
      System.err.print(USAGE);
      return 2;
    }
    Path file = Path.of(args.get(0));
    Path store;
    try {
      Settings settings = Settings.load(LivestateServer.allSettings(),
          args.subList(1, args.size()).toArray(String[]::new), env);
      StoreConfig config = StoreConfig.from(settings);
      if (!(config.location() instanceof StoreLocation.Sqlite)) {
        throw new IllegalArgumentException("the store is not the embedded SQLite one: back up"
            + " a database server with its own tools (pg_dump, mariadb-dump)");
      }
      store = config.dataDir().resolve(StoreFactory.OWN_FILE);
    } catch (IllegalArgumentException e) {
      System.err.println("livestate " + command + ": " + e.getMessage());
      return 2;
    }
    try {
      if (command.equals("backup")) {
        SqliteBackup.backup(store, file);
        System.out.println("backed up " + store + " to " + file);
      } else {
        int rooms = SqliteBackup.restore(file, store, Engine.randomEpochs());
        System.out.println("restored " + file + " to " + store + ": " + rooms
            + " rooms, each with a new epoch");
      }
      return 0;
    } catch (IOException | SQLException e) {
      System.err.println("livestate " + command + ": " + e.getMessage());
      return 1;
    }
  }
}
