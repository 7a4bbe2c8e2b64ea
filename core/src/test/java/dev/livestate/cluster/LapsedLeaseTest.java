package dev.livestate.cluster;

import static dev.livestate.testkit.Changes.proposal;
import static dev.livestate.testkit.Changes.put;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livestate.engine.Engine;
import dev.livestate.engine.EngineListener;
import dev.livestate.engine.Lanes;
import dev.livestate.engine.ManualClock;
import dev.livestate.engine.Origin;
import dev.livestate.engine.Peers;
import dev.livestate.engine.Reply;
import dev.livestate.engine.RoomHandle;
import dev.livestate.engine.RoomRequest;
import dev.livestate.engine.Stores;
import dev.livestate.room.RoomConfig;
import dev.livestate.room.Writer;
import dev.livestate.store.MemoryStore;
import dev.livestate.sync.Outcome;
import dev.livestate.testkit.CapturedReply;
import dev.livestate.testkit.Fast;
import dev.livestate.testkit.FencingStore;
import dev.livestate.testkit.RecordingSubscriber;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Two engines as two nodes whose leases lapse without a renewal (decisions 015 and 021): a node
 * decides a room again only after it claimed it anew and read what others wrote meanwhile, and
 * a node that takes a room it relayed stops following the old owner's news.
 */
@Fast
class LapsedLeaseTest {
  private static final Duration PAST_LEASE = Duration.ofSeconds(6);

  private final ManualClock clock = new ManualClock();
  private final MemoryCluster cluster = new MemoryCluster(clock);
  private final FencingStore.Database db = new FencingStore.Database();
  private final SameProcessWire wire = new SameProcessWire();
  private final CountingPeers peersOfB = new CountingPeers(
      new BusPeers(cluster.bus("b"), wire, Duration.ofSeconds(5)));
  private final Engine a = engine("a", new BusPeers(cluster.bus("a"), wire, Duration.ofSeconds(5)));
  private final Engine b = engine("b", peersOfB);

  private Engine engine(String node, Peers peers) {
    FencingStore shared = new FencingStore(db);
    return new Engine(clock, Lanes.direct(), Stores.of(shared, new MemoryStore()), () -> "e",
        EngineListener.NONE, Long.MAX_VALUE,
        new LeasedOwnership(cluster.leases(node), shared, Duration.ofSeconds(5), clock), peers);
  }

  /** A node's peers that count the rooms it follows now. */
  private static final class CountingPeers implements Peers {
    private final Peers peers;
    int following;

    CountingPeers(Peers peers) {
      this.peers = peers;
    }

    @Override
    public void committed(String room, String epoch, long from, long through) {
      peers.committed(room, epoch, from, through);
    }

    @Override
    public <A> void forward(String owner, String room, RoomRequest<A> request, Reply<A> reply) {
      peers.forward(owner, room, request, reply);
    }

    @Override
    public void told(String room, Told told) {
      peers.told(room, told);
    }

    @Override
    public void serve(Owner owner, Reply<Void> ready) {
      peers.serve(owner, ready);
    }

    @Override
    public Following follow(String room, Consumer<News> news, Reply<Void> ready) {
      Following f = peers.follow(room, news, ready);
      following++;
      return new Following() {
        private boolean cancelled;

        @Override
        public void cancel() {
          if (!cancelled) {
            cancelled = true;
            following--;
          }
          f.cancel();
        }
      };
    }
  }

  private static List<Outcome> submit(RoomHandle room, long localSeq, String value) {
    CapturedReply<List<Outcome>> reply = new CapturedReply<>();
    room.submit(Writer.of("w"), Origin.LOCAL, List.of(proposal(localSeq, 0, put("k", value))),
        reply);
    return reply.value();
  }

  @Test
  void aNodeWhoseLeaseLapsedReadsWhatTheNextOwnerWroteBeforeDecidingAgain() {
    RoomHandle atA = a.open("r", RoomConfig.DEFAULT);
    submit(atA, 1, "1");
    clock.advance(PAST_LEASE);
    assertEquals(List.of(new Outcome.Accepted(2, 2)), submit(b.open("r", RoomConfig.DEFAULT), 2,
        "2"));
    clock.advance(PAST_LEASE);
    assertEquals(List.of(new Outcome.Accepted(3, 3)), submit(atA, 3, "3"));
  }

  @Test
  void aClaimIsRaisedAboveTheStoreEachTimeTheLeasesWereLost() {
    RoomHandle atA = a.open("r", RoomConfig.DEFAULT);
    submit(atA, 1, "1");
    for (long seq = 2; seq <= 3; seq++) {
      clock.advance(PAST_LEASE);
      cluster.loseLeases(); // Redis restarted empty: the claim gets generation 1 again
      assertEquals(List.of(new Outcome.Accepted(seq, seq)), submit(atA, seq, "v"));
    }
  }

  @Test
  void aNodeThatTakesARoomItRelayedStopsFollowingIt() {
    RoomHandle atA = a.open("r", RoomConfig.DEFAULT);
    submit(atA, 1, "1");
    RoomHandle atB = b.open("r", RoomConfig.DEFAULT);
    RecordingSubscriber reader = new RecordingSubscriber("reader");
    atB.join(reader, null, new CapturedReply<>());
    assertEquals(1, peersOfB.following);

    clock.advance(PAST_LEASE);
    assertEquals(List.of(new Outcome.Accepted(2, 2)), submit(atB, 2, "2"));
    assertEquals(0, peersOfB.following, "b decides the room now: no news to follow");
    assertEquals(List.of("moved"), reader.closes());
  }
}
