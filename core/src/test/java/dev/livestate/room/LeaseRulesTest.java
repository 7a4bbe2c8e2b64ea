package dev.livestate.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.testkit.Fast;
import org.junit.jupiter.api.Test;

/** The leadership rules of a room whose leader's connection is gone (see LeaderLeaseTest). */
@Fast
class LeaseRulesTest {
  private final Room room = new Room("r", RoomConfig.DEFAULT.withTakeover(Takeover.REFUSE), "e");

  @Test
  void aClientThatDoesNotLeadLosesNothingWhenItLeaves() {
    room.claimLeader("a", "ann");

    assertFalse(room.leaderLeft("b", 0, 0));
    assertFalse(room.leaderLeft("b", 0, 1000));
    assertEquals("a", room.leader());
    assertNull(room.expireLease(Long.MAX_VALUE), "b leaving started no lease");
  }

  @Test
  void aLeaderLeavingWithAGraceKeepsTheRoomUntilItsLeaseEnds() {
    room.claimLeader("a", "ann");

    assertFalse(room.leaderLeft("a", 100, 1000), "not lost yet");
    assertEquals("a", room.leader());
    assertNull(room.expireLease(1099));
    assertEquals("a", room.expireLease(1100));
    assertNull(room.leader());
    assertNull(room.expireLease(5000), "a lease ends once");
  }

  @Test
  void aLeaderLeavingWithoutAGraceLosesTheRoomAtOnce() {
    room.claimLeader("a", "ann");

    assertTrue(room.leaderLeft("a", 100, 0));
    assertNull(room.leader());
  }

  @Test
  void aReclaimEndsTheLease() {
    room.claimLeader("a", "ann");
    room.leaderLeft("a", 0, 1000);

    room.claimLeader("a2", "ann");

    assertNull(room.expireLease(5000));
    assertEquals("a2", room.leader());
  }
}
