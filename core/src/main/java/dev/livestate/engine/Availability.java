package dev.livestate.engine;

import dev.livestate.store.FencedOut;
import dev.livestate.store.Store;
import dev.livestate.store.StoredRoom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Whether a room serves requests: it works; it failed (a store write failed, so its memory is
 * ahead of its store) and refuses requests while the store is failing; it is being reloaded
 * from the store, and requests wait for that; or it is gone for good (deleted, or not in its
 * store at all). Lane only. Decision 006 says why a failed room reloads on its next request
 * rather than at once, or never.
 *
 * <p>In a cluster (decision 015) a room of the shared store is also unowned until its first
 * request claims it for this node: the store is fenced with the claim's generation and the room
 * reloaded from it, as after a failure, and requests wait for that. A room this node loses is
 * unowned again.
 */
final class Availability {
  private static final System.Logger LOG = System.getLogger(Availability.class.getName());

  /** A request that came while the room was being reloaded, served once the reload is done. */
  private record Deferred(Reply<?> reply, Runnable task) {}

  private final String room;
  private final Store store;
  private final Executor lane;
  private final Clock clock;
  /** Takes the room's memory from what its store holds. */
  private final Consumer<StoredRoom> restore;
  /** Makes the engine forget the room, which its store does not hold. */
  private final Runnable forget;
  private final Ownership ownership;
  /** Told that another node took the room: its subscribers must go. */
  private final Runnable moved;
  /** Whether the room lives in the store the nodes share, and so must be claimed. */
  private final boolean governed;
  /** Whether this node may decide the room (always, on a single node). */
  private boolean owned;
  /** The generation this node holds the room by (0 on a single node). */
  private long generation;
  /** Whether the claim under way was raised above a stored generation already. */
  private boolean raised;
  /** Records a room opened new here once it is claimed and its store holds no such room. */
  private Runnable createWhenClaimed;
  /** Why requests are refused until the room is reloaded (null while the room works). */
  private IllegalStateException failure;
  /** Requests waiting for a reload under way (null when none is). */
  private List<Deferred> reloading;
  /** Why every request is refused for good (null while the room may work). */
  private IllegalStateException gone;

  Availability(String room, Store store, Executor lane, Clock clock,
      Consumer<StoredRoom> restore, Runnable forget, Ownership ownership, Runnable moved) {
    this.room = room;
    this.store = store;
    this.lane = lane;
    this.clock = clock;
    this.restore = restore;
    this.forget = forget;
    this.ownership = ownership;
    this.moved = moved;
    this.governed = ownership.governs(store);
    this.owned = !governed;
  }

  /** Whether this node decides the room now: it holds its lease, or nobody else could. */
  boolean decidedHere() {
    return !governed || ownership.holds(room);
  }

  /** Whether the room works now: owned, not failed, not being reloaded, not gone. */
  boolean working() {
    return owned && gone == null && failure == null && reloading == null;
  }

  /**
   * Whether the room must be claimed before it is created: if so, {@code create} runs once the
   * claim finds the store without the room (another node may have made it meanwhile).
   */
  boolean createWhenClaimed(Runnable create) {
    if (owned) {
      return false;
    }
    createWhenClaimed = create;
    return true;
  }

  /**
   * The generation of this node's holding of the room: each holding's is larger than every
   * earlier one's, so other nodes tell its news from an earlier holding's.
   */
  long generation() {
    return generation;
  }

  /** Why the room is gone for good, or null. */
  IllegalStateException gone() {
    return gone;
  }

  /** The room was deleted: everything asked of it from now on fails. */
  void deleted() {
    gone = new IllegalStateException("room " + room + " was deleted");
  }

  /**
   * The room's creation failed, so its store does not hold it: the engine forgets it at once,
   * and the next request to open a room of that name creates it anew.
   */
  void notCreated(Throwable cause) {
    notStored("room " + room + " could not be created (" + cause.getMessage()
        + "): create it again");
  }

  private void notStored(String why) {
    gone = new IllegalStateException(why);
    forget.run();
  }

  /**
   * A store write failed: requests are refused until a reload. Returns what to tell those
   * waiting: that failure, or that the room is gone if its creation was what failed.
   */
  IllegalStateException failed(Throwable cause) {
    LOG.log(System.Logger.Level.ERROR, "store write failed for room " + room
        + "; it refuses requests until its store takes writes again", cause);
    failure = new IllegalStateException("room " + room + " failed: a store write failed ("
        + cause.getMessage() + "); retry later", cause);
    return gone != null ? gone : failure;
  }

  /**
   * Runs a request now if the room works. Otherwise refuses it, or defers it to a reload, which
   * the first request after the store stopped failing starts.
   */
  void serve(Reply<?> reply, Runnable task) {
    if (gone != null) {
      reply.done(null, gone);
      return;
    }
    if (reloading != null) {
      reloading.add(new Deferred(reply, task));
      return;
    }
    if (governed && owned && !ownership.holds(room)) {
      lost();
    }
    if (!owned) {
      reloading = new ArrayList<>();
      reloading.add(new Deferred(reply, task));
      ownership.claim(room, () -> lane.execute(this::lost),
          (generation, f) -> lane.execute(() -> claimed(generation, f)));
      return;
    }
    if (failure != null) {
      if (store.failing()) {
        reply.done(null, failure);
        return;
      }
      reloading = new ArrayList<>();
      reloading.add(new Deferred(reply, task));
      store.load(room, clock.millis(), (stored, f) -> lane.execute(() -> reloaded(stored, f)));
      return;
    }
    try {
      task.run();
    } catch (RuntimeException e) {
      reply.done(null, e);
    }
  }

  /** A claim was answered: fence the store with the generation, then reload from it. */
  private void claimed(Long generation, Throwable claimFailure) {
    if (claimFailure != null) {
      raised = false;
      refuseWaiting(claimFailure);
      return;
    }
    store.fence(room, generation, fenced -> lane.execute(() -> {
      if (fenced instanceof FencedOut f && f.stored() >= generation && !raised) {
        // the coordinator forgot generations the store remembers: outrank them, once
        raised = true;
        ownership.claimAbove(room, f.stored(),
            (above, again) -> lane.execute(() -> claimed(above, again)));
        return;
      }
      raised = false;
      if (fenced != null) {
        refuseWaiting(fenced);
        return;
      }
      owned = true;
      this.generation = generation;
      store.load(room, clock.millis(), (stored, f) -> lane.execute(() -> reloaded(stored, f)));
    }));
  }

  private void refuseWaiting(Throwable why) {
    List<Deferred> waiting = reloading;
    reloading = null;
    waiting.forEach(d -> d.reply().done(null, why));
  }

  /** Another node took the room: it is unowned, and its next request claims it again. */
  private void lost() {
    if (!owned) {
      return;
    }
    owned = false;
    LOG.log(System.Logger.Level.INFO, "room " + room + " is no longer this node's");
    moved.run();
  }

  /** The store answered a reload: the room works again, stays failed, or is not there at all. */
  private void reloaded(StoredRoom stored, Throwable readFailure) {
    List<Deferred> waiting = reloading;
    reloading = null;
    if (readFailure != null) {
      LOG.log(System.Logger.Level.WARNING, "room " + room + " could not be reloaded", readFailure);
      if (failure == null) {
        // a claim's load: the room's memory is not what the store holds, so it waits for a reload
        failure = new IllegalStateException("room " + room + " could not be loaded ("
            + readFailure.getMessage() + "); retry later", readFailure);
      }
      waiting.forEach(d -> d.reply().done(null, failure));
      return;
    }
    if (stored == null && createWhenClaimed != null) {
      Runnable create = createWhenClaimed;
      createWhenClaimed = null;
      failure = null;
      create.run();
      waiting.forEach(d -> serve(d.reply(), d.task()));
      return;
    }
    createWhenClaimed = null;
    if (stored == null) {
      notStored("room " + room + " is not in its store: create it again");
      waiting.forEach(d -> d.reply().done(null, gone));
      return;
    }
    restore.accept(stored);
    failure = null;
    LOG.log(System.Logger.Level.INFO, "room " + room + " reloaded from its store at seq "
        + stored.head());
    waiting.forEach(d -> serve(d.reply(), d.task()));
  }
}
