package dev.livestate.store.jdbc;

import dev.livestate.store.FencedOut;
import dev.livestate.store.Store.Commit;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The one thread that touches a store's database. Callers queue writes and return at once; the
 * thread takes everything queued (up to {@link #GROUP} writes), applies it in one transaction,
 * commits, and only then runs the writes' callbacks, in the order the writes were queued. A
 * thousand rooms writing at once thus share one commit (one fsync) instead of paying one each.
 *
 * <p>A group that fails to commit fails every callback in it with the cause, and the thread goes
 * on with the next group on a fresh connection. Reads are queued too, so a read sees every write
 * queued before it.
 */
final class WriterThread {
  private static final System.Logger LOG = System.getLogger(WriterThread.class.getName());
  /** Bounds a group's transaction, and so the memory and lock time one commit can take. */
  static final int GROUP = 1_000;

  /** A read of the database, run on the writer thread between groups. */
  @FunctionalInterface
  interface Read<T> {
    T run(Connection connection) throws SQLException;
  }

  private sealed interface Task {}

  private record Pending(Write write, Commit done) implements Task {}

  private record Reading<T>(Read<T> read, CompletableFuture<T> result) implements Task {}

  private record Stop() implements Task {}

  private final BlockingQueue<Task> queue = new LinkedBlockingQueue<>();
  private final Object gate = new Object();
  private final Connections connections;
  private final Statements sql;
  private final Map<String, Long> heads = new HashMap<>();
  /** The generation this store writes each fenced room as (cluster mode, decision 015). */
  private final Map<String, Long> fences = new HashMap<>();
  private final PreparedStatements statements = new PreparedStatements();
  private final Thread thread;
  private boolean closed;
  /** Whether the last group (or read) failed for a reason of the database's own. */
  private volatile boolean failing;

  WriterThread(Connections connections, Statements sql, String name) {
    this.connections = connections;
    this.sql = sql;
    this.thread = new Thread(this::run, "livestate-store-" + name);
    // Only acked writes matter and those are committed; nothing to lose by not holding the JVM.
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues a write; after {@link #close} it fails at once. */
  void submit(Write write, Commit done) {
    synchronized (gate) {
      if (!closed) {
        queue.add(new Pending(write, done));
        return;
      }
    }
    notify(done, new IllegalStateException("store is closed"));
  }

  /** Runs a read after every write queued before it has committed. Blocking. */
  <T> T read(Read<T> read) {
    try {
      return readLater(read).join();
    } catch (CompletionException e) {
      throw new IllegalStateException("reading the store failed", e.getCause());
    }
  }

  /**
   * Queues a read to run after every write queued before it has committed; the result completes
   * on the writer thread (or at once, failed, after {@link #close}).
   */
  <T> CompletableFuture<T> readLater(Read<T> read) {
    CompletableFuture<T> result = new CompletableFuture<>();
    synchronized (gate) {
      if (!closed) {
        queue.add(new Reading<>(read, result));
        return result;
      }
    }
    result.completeExceptionally(new IllegalStateException("store is closed"));
    return result;
  }

  /**
   * Whether the database failed the last group of writes (or a read) for a reason of its own,
   * and no group has committed since. A write refused alone does not count: its group commits.
   */
  boolean failing() {
    return failing;
  }

  /** Commits everything queued, then closes the connections. Blocking; idempotent. */
  void close() {
    synchronized (gate) {
      if (!closed) {
        closed = true;
        queue.add(new Stop());
      }
    }
    if (Thread.currentThread() == thread) {
      return; // closed from a callback: the loop reaches Stop once this group is done
    }
    boolean interrupted = false;
    while (true) {
      try {
        thread.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    List<Task> tasks = new ArrayList<>();
    List<Pending> group = new ArrayList<>();
    while (true) {
      tasks.clear();
      tasks.add(take());
      queue.drainTo(tasks, GROUP - 1);
      for (Task task : tasks) {
        if (task instanceof Pending p) {
          group.add(p);
        } else {
          commit(group);
          if (task instanceof Reading<?> r) {
            read(r);
          } else {
            connections.close();
            return;
          }
        }
      }
      commit(group);
    }
  }

  private Task take() {
    while (true) {
      try {
        return queue.take();
      } catch (InterruptedException e) {
        // Nobody should interrupt this thread; stopping is the Stop task's job.
      }
    }
  }

  private void commit(List<Pending> group) {
    if (group.isEmpty()) {
      return;
    }
    Throwable[] refused = new Throwable[group.size()];
    Throwable failure = null;
    Connection c = null;
    try {
      c = connections.borrow();
      Transaction tx = new Transaction(c, sql, statements, heads, fences);
      for (int i = 0; i < group.size(); i++) {
        try {
          group.get(i).write().apply(tx);
        } catch (Transaction.Refused | FencedOut e) {
          refused[i] = e;
        }
      }
      tx.commit();
      failing = false;
    } catch (SQLException | RuntimeException e) {
      failure = e;
      failing = true;
      LOG.log(System.Logger.Level.ERROR, "a group of " + group.size() + " writes failed", e);
      rollback(c);
    } finally {
      if (c != null) {
        connections.release(c, failure != null);
      }
    }
    for (int i = 0; i < group.size(); i++) {
      notify(group.get(i).done(), failure != null ? failure : refused[i]);
    }
    group.clear();
  }

  private <T> void read(Reading<T> r) {
    Connection c = null;
    boolean broken = false;
    try {
      c = connections.borrow();
      // Nothing to commit: a pool rolls back what a connection given back left open, and SQLite's
      // one connection is always in a transaction (its driver begins the next at each commit).
      r.result().complete(r.read().run(c));
    } catch (SQLException | RuntimeException e) {
      broken = true;
      failing = true;
      rollback(c);
      r.result().completeExceptionally(e);
    } finally {
      if (c != null) {
        connections.release(c, broken);
      }
    }
  }

  private static void rollback(Connection c) {
    if (c != null) {
      try {
        c.rollback();
      } catch (SQLException ignored) {
        // The connection is discarded next; the database rolls back what it never committed.
      }
    }
  }

  private static void notify(Commit done, Throwable failure) {
    try {
      done.done(failure);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "a store commit callback threw", e);
    }
  }
}
