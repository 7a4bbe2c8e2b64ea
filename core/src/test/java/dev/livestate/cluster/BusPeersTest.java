package dev.livestate.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.livestate.engine.ManualClock;
import dev.livestate.engine.Peers;
import dev.livestate.engine.Reply;
import dev.livestate.engine.RoomRequest;
import dev.livestate.op.Json;
import dev.livestate.testkit.CapturedReply;
import dev.livestate.testkit.Fast;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A request between two nodes that cannot be read, or is refused: the asker hears why. */
@Fast
class BusPeersTest {
  private final MemoryCluster cluster = new MemoryCluster(new ManualClock());
  private final BusPeers asker =
      new BusPeers(cluster.bus("x"), new TextWire(), Duration.ofSeconds(1));
  private final BusPeers owner =
      new BusPeers(cluster.bus("y"), new TextWire(), Duration.ofSeconds(1));

  /** Requests as "room", answers as "answer", which it cannot read back. */
  private static final class TextWire implements RequestWire {
    @Override
    public String request(String room, RoomRequest<?> request) {
      return room;
    }

    @Override
    public Addressed<?> parseRequest(String text) {
      if (text.startsWith("unreadable")) {
        throw new IllegalArgumentException("not a request: " + text);
      }
      return new Addressed<>(text, new RoomRequest.Presence());
    }

    @Override
    public <A> String answer(RoomRequest<A> request, A answer) {
      return "answer";
    }

    @Override
    public <A> A parseAnswer(RoomRequest<A> request, String text) {
      throw new IllegalArgumentException("not an answer: " + text);
    }

    @Override
    public String told(Peers.Told told) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Peers.Told parseTold(String node, String text) {
      throw new IllegalArgumentException("no events here");
    }
  }

  BusPeersTest() {
    owner.serve(new Peers.Owner() {
      @Override
      public <A> void serve(String from, String room, RoomRequest<A> request, Reply<A> reply) {
        if (room.equals("refused")) {
          reply.done(null, new IllegalStateException("room refused is not known on this node"));
        } else {
          reply.done(null, null);
        }
      }

      @Override
      public void nodeLeft(String node) {}
    }, Reply.ignore());
  }

  private Throwable asked(String room) {
    CapturedReply<Map<String, Json>> reply = new CapturedReply<>();
    asker.forward("y", room, new RoomRequest.Presence(), reply);
    return reply.failure();
  }

  @Test
  void aRequestTheOwnerCannotReadFailsWithWhy() {
    assertEquals("not a request: unreadable", asked("unreadable").getMessage());
  }

  @Test
  void theOwnersRefusalReachesTheAsker() {
    assertEquals("room refused is not known on this node", asked("refused").getMessage());
  }

  @Test
  void anAnswerTheAskerCannotReadFailsWithWhy() {
    assertInstanceOf(IllegalArgumentException.class, asked("r"));
    assertEquals("not an answer: answer", asked("r").getMessage());
  }

  @Test
  void anEventThatCannotBeReadIsSkipped() {
    assertEquals(null, asker.news(new Bus.Message("y", "r", BusPeers.EVENT + "{")));
  }
}
