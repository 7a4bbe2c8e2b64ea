package dev.livestate.testkit.store;

import static org.junit.jupiter.api.Assertions.fail;

import dev.livestate.room.RoomConfig;
import dev.livestate.store.Store;
import dev.livestate.store.StoredRoom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every part of the {@link StoreContract} stands on: a fresh store per test from
 * {@link #open()}, and a look at what it holds by {@link #reopen() reopening} it and recovering,
 * as a restarted server would.
 */
public abstract class StoreFixture {
  /** A fixed "now" for recovery; stream messages in tests live until well after it. */
  protected static final long NOW = 1_700_000_000_000L;
  protected static final long LATER = NOW + 3_600_000L;
  /**
   * How long a test waits for one callback: ages for a commit, yet short enough that a write
   * that is never acked fails its test before PIT's timeout would kill the whole minion (whose
   * restart runs every test class again).
   */
  public static final long WAIT_SECONDS = 5;

  /** The store under test; tests replace it with what {@link #reopen()} returns. */
  protected Store store;

  /** A new, empty store. */
  protected abstract Store open() throws Exception;

  /** Closes the store last opened and opens one on the same data. */
  protected abstract Store reopen() throws Exception;

  @BeforeEach
  void openStore() throws Exception {
    store = open();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  protected void create(String room) throws Exception {
    create(room, RoomConfig.DEFAULT);
  }

  protected void create(String room, RoomConfig config) throws Exception {
    ok(c -> store.create(room, config, "epoch-" + room, c));
  }

  /** Reopens the store and recovers it at {@code now}, by room name. */
  protected Map<String, StoredRoom> recovered(long now) throws Exception {
    store = reopen();
    return store.recover(now).stream()
        .collect(Collectors.toMap(StoredRoom::name, r -> r, (a, b) -> {
          throw new AssertionError("room recovered twice: " + a.name());
        }, LinkedHashMap::new));
  }

  /** What {@code from}'s {@link Store#load} answers for {@code room} at {@code now}. */
  protected static StoredRoom load(Store from, String room, long now) throws Exception {
    return loaded(done -> from.load(room, now, done));
  }

  /** What {@code from}'s {@link Store#loadAfter} answers. */
  protected static StoredRoom loadAfter(Store from, String room, long afterSeq, long now)
      throws Exception {
    return loaded(done -> from.loadAfter(room, afterSeq, now, done));
  }

  private static StoredRoom loaded(Consumer<Store.Loaded> load) throws Exception {
    CompletableFuture<StoredRoom> loaded = new CompletableFuture<>();
    load.accept((found, failure) -> {
      if (failure != null) {
        loaded.completeExceptionally(failure);
      } else {
        loaded.complete(found);
      }
    });
    return loaded.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  protected static CompletableFuture<Void> committed(Consumer<Store.Commit> write) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    write.accept(failure -> {
      if (failure == null) {
        done.complete(null);
      } else {
        done.completeExceptionally(failure);
      }
    });
    return done;
  }

  protected static void ok(Consumer<Store.Commit> write) throws Exception {
    committed(write).get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  protected static Throwable fails(Consumer<Store.Commit> write) throws Exception {
    try {
      committed(write).get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    return fail("the write was committed");
  }

  /** Waits until a write's callback has run, whether it succeeded or failed. */
  protected static void settled(CompletableFuture<Void> write) throws Exception {
    write.handle((ok, failure) -> null).get(WAIT_SECONDS, TimeUnit.SECONDS);
  }
}
