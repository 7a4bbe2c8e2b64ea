package dev.livestate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livestate.op.Proposal;
import dev.livestate.room.RoomConfig;
import dev.livestate.room.Writer;
import dev.livestate.store.MemoryStore;
import dev.livestate.testkit.Changes;
import dev.livestate.testkit.Fast;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where an accepted change goes is decided by its origin. */
@Fast
class OriginTest {
  private final MemoryStore store = new MemoryStore();
  private final Engine engine =
      new Engine(new ManualClock(), Lanes.direct(), Stores.of(store, store), () -> "e1");
  private final RoomHandle room = engine.open("r", RoomConfig.DEFAULT);

  /** A subscriber on one connection that keeps the seqs it is sent. */
  private static final class Socket implements Subscriber {
    final Origin.Client origin;
    final boolean echo;
    final List<Long> seqs = new ArrayList<>();

    Socket(String clientId, long connection, boolean echo) {
      this.origin = new Origin.Client(clientId, connection);
      this.echo = echo;
    }

    @Override
    public Origin.Client connection() {
      return origin;
    }

    @Override
    public boolean echo() {
      return echo;
    }

    @Override
    public void deliver(Broadcast broadcast) {
      if (broadcast.event() instanceof RoomEvent.Relayed r) {
        r.ops().forEach(op -> seqs.add(op.seq()));
      }
    }
  }

  private Socket join(String clientId, long connection, boolean echo) {
    Socket s = new Socket(clientId, connection, echo);
    room.join(s, null, Reply.ignore());
    return s;
  }

  private void submit(Origin origin) {
    Proposal p = Changes.proposal(1, 0, Changes.put("k", "1"));
    room.submit(Writer.of("alice"), origin, List.of(p), Reply.ignore());
  }

  @Test
  void theConnectionAChangeCameFromIsNotSentItButTheClientsOtherConnectionsAre() {
    Socket tab1 = join("alice", 1, false);
    Socket tab2 = join("alice", 2, false);
    Socket bob = join("bob", 3, false);

    submit(tab1.origin);

    assertEquals(List.of(), tab1.seqs);
    assertEquals(List.of(1L), tab2.seqs);
    assertEquals(List.of(1L), bob.seqs);
  }

  @Test
  void aSubscriberThatAsksForEchoesGetsItsOwnChangesToo() {
    Socket own = join("alice", 1, true);

    submit(own.origin);

    assertEquals(List.of(1L), own.seqs);
  }

  @Test
  void theServersOwnChangesAndAPeersGoToEveryConnection() {
    Socket a = join("alice", 1, false);

    submit(Origin.LOCAL);
    room.submit(Writer.of("alice"), new Origin.Peer("node-2"),
        List.of(Changes.proposal(2, 1, Changes.put("k", "2"))), Reply.ignore());

    assertEquals(List.of(1L, 2L), a.seqs);
  }
}
