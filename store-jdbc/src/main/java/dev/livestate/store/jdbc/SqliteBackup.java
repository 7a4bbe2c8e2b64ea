package dev.livestate.store.jdbc;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.sqlite.SQLiteConfig;

/**
 * Copies of a SQLite store, taken while its server runs, and their restoring (decision 013).
 *
 * <p>A backup is SQLite's {@code VACUUM INTO} on a read-only connection of its own: one read
 * transaction, so the copy is the database as of one commit — every room at a head it really
 * had, with exactly the ops, entries and ledger of that head — however much the server commits
 * meanwhile (in WAL mode a reader and the writer do not wait for each other). It is written
 * beside the target, synced, then renamed over it, so a backup file is whole or absent.
 *
 * <p>Restoring copies a backup into place with a new epoch for every room: the rooms' history
 * after the backup is lost, and a client that saw any of it must not take the restored seqs for
 * the ones it saw, so every position of the old history is answered with resubmit.
 */
public final class SqliteBackup {
  private SqliteBackup() {}

  /** Writes a consistent copy of the store in {@code database} to {@code target}. */
  public static void backup(Path database, Path target) throws IOException, SQLException {
    if (!Files.isRegularFile(database)) {
      throw new NoSuchFileException(database.toString(), null, "no SQLite store there");
    }
    Path partial = beside(target, ".partial");
    Files.deleteIfExists(partial);
    try {
      vacuumInto(database, partial);
      sync(partial);
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  /**
   * Puts the backup in {@code backup} in place as the store in {@code database}, which no
   * server may have open, each room with an epoch from {@code epochs}; returns the rooms.
   */
  public static int restore(Path backup, Path database, Supplier<String> epochs)
      throws IOException, SQLException {
    if (!Files.isRegularFile(backup)) {
      throw new NoSuchFileException(backup.toString(), null, "no backup there");
    }
    Path partial = beside(database, ".restoring");
    Files.deleteIfExists(partial);
    try {
      vacuumInto(backup, partial);
      int rooms = renewEpochs(partial, epochs);
      sync(partial);
      Files.deleteIfExists(beside(database, "-wal"));
      Files.deleteIfExists(beside(database, "-shm"));
      Files.move(partial, database, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      return rooms;
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  private static void vacuumInto(Path source, Path target) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setBusyTimeout(10_000);
    try (Connection c = DriverManager.getConnection(url(source), config.toProperties());
        PreparedStatement vacuum = c.prepareStatement("VACUUM INTO ?")) {
      vacuum.setString(1, target.toAbsolutePath().toString());
      vacuum.execute();
    }
  }

  private static int renewEpochs(Path file, Supplier<String> epochs) throws SQLException {
    String rooms = Table.ROOMS.in("");
    try (Connection c = DriverManager.getConnection(url(file))) {
      c.setAutoCommit(false);
      List<String> names = new ArrayList<>();
      try (PreparedStatement select = c.prepareStatement("SELECT name FROM " + rooms);
          ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
      try (PreparedStatement update =
          c.prepareStatement("UPDATE " + rooms + " SET epoch = ? WHERE name = ?")) {
        for (String name : names) {
          update.setString(1, epochs.get());
          update.setString(2, name);
          update.addBatch();
        }
        update.executeBatch();
      }
      c.commit();
      return names.size();
    }
  }

  private static void sync(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  private static Path beside(Path file, String suffix) {
    Path absolute = file.toAbsolutePath();
    return absolute.resolveSibling(absolute.getFileName() + suffix);
  }

  private static String url(Path file) {
    return "jdbc:sqlite:" + file.toAbsolutePath();
  }
}
