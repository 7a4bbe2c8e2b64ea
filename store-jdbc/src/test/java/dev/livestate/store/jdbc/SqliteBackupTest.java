package dev.livestate.store.jdbc;

import static dev.livestate.testkit.store.StoreFixture.WAIT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.op.Change;
import dev.livestate.op.Json;
import dev.livestate.op.Op;
import dev.livestate.room.RoomConfig;
import dev.livestate.store.Store;
import dev.livestate.store.StoredRoom;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backups of a SQLite store taken while it commits, and restoring them with new epochs. */
class SqliteBackupTest {
  @TempDir
  Path dir;

  private static Op op(long seq) {
    return new Op(seq, "w", seq, 0, seq, Change.Put.of("k" + seq, new Json(String.valueOf(seq))));
  }

  private static Throwable result(Consumer<Store.Commit> write) throws Exception {
    CompletableFuture<Throwable> f = new CompletableFuture<>();
    write.accept(f::complete);
    return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  private static Map<String, StoredRoom> recovered(Path file) {
    try (Store s = JdbcStore.sqlite(file, false)) {
      return s.recover(0).stream().collect(Collectors.toMap(StoredRoom::name, r -> r));
    }
  }

  @Test
  void aBackupTakenWhileTheStoreCommitsHoldsEachRoomAtAHeadItHadWithExactlyItsOps()
      throws Exception {
    Path live = dir.resolve("live.db");
    Path copy = dir.resolve("copy.db");
    long head;
    try (Store store = JdbcStore.sqlite(live, false)) {
      for (String room : List.of("a", "b")) {
        assertNull(result(c -> store.create(room, RoomConfig.DEFAULT, "epoch-" + room, c)));
        for (long seq = 1; seq <= 100; seq++) {
          long s = seq;
          assertNull(result(c -> store.append(room, List.of(op(s)), c)));
        }
      }
      AtomicBoolean stop = new AtomicBoolean();
      CompletableFuture<Long> writing = CompletableFuture.supplyAsync(() -> {
        long seq = 100;
        try {
          while (!stop.get()) {
            long s = ++seq;
            assertNull(result(c -> store.append("a", List.of(op(s)), c)));
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        return seq;
      });
      SqliteBackup.backup(live, copy);
      stop.set(true);
      head = writing.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
    assertFalse(Files.exists(dir.resolve("copy.db.partial")), "no partial file is left");
    Map<String, StoredRoom> rooms = recovered(copy);
    assertEquals(100, rooms.get("b").head());
    StoredRoom a = rooms.get("a");
    assertTrue(a.head() >= 100 && a.head() <= head, "a at " + a.head() + " of 100.." + head);
    assertEquals("epoch-a", a.epoch(), "a backup keeps the epochs: restoring renews them");
    assertEquals(a.head(), a.entries().size(), "exactly the entries of ops 1.." + a.head());
    assertTrue(a.entries().containsKey("k" + a.head()));
  }

  @Test
  void restoringPutsTheBackupInPlaceWithANewEpochForEveryRoom() throws Exception {
    Path live = dir.resolve("live.db");
    try (Store store = JdbcStore.sqlite(live, false)) {
      for (String room : List.of("a", "b")) {
        assertNull(result(c -> store.create(room, RoomConfig.DEFAULT, "old", c)));
        assertNull(result(c -> store.append(room, List.of(op(1)), c)));
      }
    }
    Path backup = dir.resolve("backup.db");
    SqliteBackup.backup(live, backup);
    Path restored = dir.resolve("restored.db");
    Files.writeString(dir.resolve("restored.db-wal"), "a stale log of the store it replaces");
    Files.writeString(dir.resolve("restored.db-shm"), "stale");
    Iterator<String> epochs = List.of("new-1", "new-2").iterator();
    assertEquals(2, SqliteBackup.restore(backup, restored, epochs::next));
    assertFalse(Files.exists(dir.resolve("restored.db-wal")));
    assertFalse(Files.exists(dir.resolve("restored.db.restoring")));
    Map<String, StoredRoom> rooms = recovered(restored);
    List<String> given = new ArrayList<>();
    rooms.values().forEach(r -> given.add(r.epoch()));
    given.sort(null);
    assertEquals(List.of("new-1", "new-2"), given);
    assertEquals(1, rooms.get("a").head());
  }

  @Test
  void aMissingStoreOrBackupIsSaidSo() {
    Path nothing = dir.resolve("nothing.db");
    assertThrows(NoSuchFileException.class, () -> SqliteBackup.backup(nothing, dir.resolve("x")));
    assertThrows(NoSuchFileException.class,
        () -> SqliteBackup.restore(nothing, dir.resolve("y"), () -> "e"));
    assertFalse(Files.exists(dir.resolve("x")));
  }
}
