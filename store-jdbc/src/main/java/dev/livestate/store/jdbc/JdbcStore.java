package dev.livestate.store.jdbc;

import dev.livestate.op.Json;
import dev.livestate.op.Op;
import dev.livestate.room.LedgerEntry;
import dev.livestate.room.RoomConfig;
import dev.livestate.store.Store;
import dev.livestate.store.StoredRoom;
import dev.livestate.stream.StreamMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A durable {@link Store} in a SQL database: embedded SQLite, MariaDB/MySQL or PostgreSQL.
 *
 * <p><b>Threads.</b> Every method may be called from any thread. Writes only queue and return;
 * one writer thread per store applies them. Callbacks run on that thread and must not block.
 * {@link #recover} and {@link #close} block.
 *
 * <p><b>Order.</b> Writes are applied in the order they were called, across all rooms, and their
 * callbacks run in that same order. {@link #trim} and {@link #expire} are ordered writes too
 * (without a callback), so they never hold up a room's lane. {@link #recover} sees every write
 * called before it.
 *
 * <p><b>Durability.</b> A callback runs only after its write is committed: group commit puts all
 * writes queued at that moment into one transaction. With SQLite {@code fullSync} the WAL is
 * synced at each commit and an acked write survives power loss; without it an acked write
 * survives the process being killed but maybe not the machine losing power. Server databases
 * give their own configured guarantee. One {@code append} is atomic. A group that fails (disk
 * full, database down) fails every callback in it, and the store goes on with later writes; a
 * write that is wrong by itself (a seq gap, an unknown room) fails alone. While the last group
 * failed the store is {@linkplain #failing failing}; a {@link #probe} commits a row of its own
 * to learn when the database takes writes again.
 *
 * <p><b>Sharing.</b> Only one store, in one process, may write a room of a set of tables: the
 * writer keeps each room's head in memory. Stores of several nodes can share tables when each
 * room is written only through a {@linkplain #fence fence}: a fenced room's head is read from its
 * locked row in each transaction, and a write from an owner that lost the room is refused
 * (decision 015). Several stores can share one database under different table prefixes.
 */
public final class JdbcStore implements Store {
  /** The prefix {@link #connect(String, String, String)} gives tables in a shared database. */
  public static final String DEFAULT_PREFIX = "livestate_";

  private final WriterThread writer;
  private final Statements sql;

  private JdbcStore(Connections connections, Dialect dialect, String prefix, String name) {
    this.sql = new Statements(dialect, prefix);
    createSchema(connections, dialect, prefix);
    this.writer = new WriterThread(connections, sql, name);
  }

  /**
   * A store in one SQLite file (created with its directory if missing), in WAL mode; with
   * {@code fullSync} every commit is synced to disk, else only checkpoints are.
   */
  public static Store sqlite(Path file, boolean fullSync) {
    Path parent = file.toAbsolutePath().getParent();
    try {
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + parent, e);
    }
    return open(Connections.sqlite(file, fullSync), Dialect.SQLITE, "",
        file.getFileName().toString());
  }

  /**
   * A store in a MariaDB/MySQL ({@code jdbc:mariadb:}, {@code jdbc:mysql:}) or PostgreSQL
   * ({@code jdbc:postgresql:}) database, its tables named with {@link #DEFAULT_PREFIX}.
   */
  public static Store connect(String url, String user, String password) {
    return connect(url, user, password, DEFAULT_PREFIX);
  }

  /**
   * A store in a server database whose table names all start with {@code tablePrefix} (letters,
   * digits, underscores; may be empty), so several stores can share one database. Creates the
   * tables when missing. Fails at once if the database cannot be reached.
   */
  public static Store connect(String url, String user, String password, String tablePrefix) {
    Objects.requireNonNull(url, "url");
    Dialect dialect = Dialect.of(url);
    String prefix = Schema.checkPrefix(tablePrefix);
    String name = "jdbc-" + dialect.name().toLowerCase(Locale.ROOT) + "-" + prefix;
    return open(Connections.pooled(url, user, password, name), dialect, prefix, name);
  }

  /** A store over any source of connections; tests use it to inject failures. */
  static JdbcStore open(Connections connections, Dialect dialect, String prefix, String name) {
    try {
      return new JdbcStore(connections, dialect, prefix, name);
    } catch (RuntimeException e) {
      connections.close();
      throw e;
    }
  }

  private static void createSchema(Connections connections, Dialect dialect, String prefix) {
    Connection c = null;
    boolean broken = true;
    try {
      c = connections.borrow();
      Schema.create(c, dialect, prefix);
      broken = false;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create the store's tables: " + e.getMessage(), e);
    } finally {
      if (c != null) {
        connections.release(c, broken);
      }
    }
  }

  @Override
  public List<StoredRoom> recover(long now) {
    return writer.read(c -> Recovery.read(c, sql, now));
  }

  @Override
  public void load(String room, long now, Loaded done) {
    writer.readLater(c -> Recovery.readOne(c, sql, room, now))
        .whenComplete((found, failure) -> done.done(found, failure));
  }

  @Override
  public void loadAfter(String room, long afterSeq, long now, Loaded done) {
    writer.readLater(c -> Recovery.readAfter(c, sql, room, afterSeq, now))
        .whenComplete((found, failure) -> done.done(found, failure));
  }

  @Override
  public boolean failing() {
    return writer.failing();
  }

  @Override
  public void probe(Commit done) {
    writer.submit(new Write.Probe(System.currentTimeMillis()), done);
  }

  @Override
  public void create(String room, RoomConfig config, String epoch, Commit done) {
    writer.submit(new Write.Create(room, ConfigCodec.write(config), epoch), done);
  }

  @Override
  public void fence(String room, long generation, Commit done) {
    writer.submit(new Write.Fence(room, generation), done);
  }

  @Override
  public void append(String room, List<Op> ops, List<LedgerEntry> ledger, Commit done) {
    List<String> bodies = new ArrayList<>(ops.size());
    for (Op op : ops) {
      bodies.add(OpCodec.body(op.change()));
    }
    writer.submit(new Write.Append(room, List.copyOf(ops), bodies, List.copyOf(ledger)), done);
  }

  @Override
  public void putAttribute(String room, String key, Json value, Commit done) {
    writer.submit(new Write.Attribute(room, key, value), done);
  }

  @Override
  public void publish(String room, StreamMessage message, Commit done) {
    writer.submit(new Write.Publish(room, message), done);
  }

  @Override
  public void trim(String room, long throughSeq) {
    writer.submit(new Write.Trim(room, throughSeq), Commit.NONE);
  }

  @Override
  public void expire(long now) {
    writer.submit(new Write.Expire(now), Commit.NONE);
  }

  @Override
  public void delete(String room, Commit done) {
    writer.submit(new Write.Delete(room), done);
  }

  /** Commits every write queued so far, then closes the connections. Later writes fail. */
  @Override
  public void close() {
    writer.close();
  }
}
