package dev.livestate.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.livestate.conflict.ConflictPolicy;
import dev.livestate.testkit.Fast;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@Fast
class RoomConfigTest {

  @Test
  void withersChangeOnlyTheirOwnField() {
    RoomConfig c = RoomConfig.DEFAULT.withPolicy(ConflictPolicy.PRIORITY).withDurable(false);

    assertEquals(ConflictPolicy.PRIORITY, c.policy());
    assertEquals(false, c.durable());
    assertEquals(RoomConfig.DEFAULT.retainOps(), c.retainOps());
    assertEquals(RoomConfig.DEFAULT.presenceTimeout(), c.presenceTimeout());
  }

  @Test
  void invalidValuesAreRefusedAtConstruction() {
    assertThrows(IllegalArgumentException.class,
        () -> RoomConfig.DEFAULT.withRetention(-1, Duration.ZERO));
    assertThrows(IllegalArgumentException.class,
        () -> RoomConfig.DEFAULT.withRetention(1, Duration.ofSeconds(-1)));
    assertThrows(IllegalArgumentException.class,
        () -> RoomConfig.DEFAULT.withStream(Duration.ofDays(1), 0));
    assertThrows(NullPointerException.class, () -> RoomConfig.DEFAULT.withPolicy(null));
  }

  @Test
  void durationsPastAThousandYearsAreRefusedAndAThousandYearsIsAccepted() {
    Duration tooLong = RoomConfig.MAX_DURATION.plusSeconds(1);
    assertThrows(IllegalArgumentException.class,
        () -> RoomConfig.DEFAULT.withStream(tooLong, 1));
    assertThrows(IllegalArgumentException.class,
        () -> RoomConfig.DEFAULT.withPresenceTimeout(Duration.ofSeconds(Long.MAX_VALUE)));
    assertThrows(IllegalArgumentException.class,
        () -> RoomConfig.DEFAULT.withRetention(1, tooLong));
    RoomConfig longest = RoomConfig.DEFAULT.withStream(RoomConfig.MAX_DURATION, 1)
        .withPresenceTimeout(RoomConfig.MAX_DURATION).withRetention(1, RoomConfig.MAX_DURATION);
    assertEquals(RoomConfig.MAX_DURATION.toMillis(), longest.streamTtl().toMillis());
    assertEquals(RoomConfig.MAX_DURATION, longest.retainAge());
  }

  @Test
  void smallestLegalValuesAreAccepted() {
    RoomConfig c = RoomConfig.DEFAULT.withRetention(0, Duration.ZERO)
        .withStream(Duration.ZERO, 1).withPresenceTimeout(Duration.ZERO);

    assertEquals(0, c.retainOps());
    assertEquals(1, c.streamLimit());
    assertEquals(Duration.ZERO, c.streamTtl());
  }

  @Test
  void everyWitherKeepsTheOtherFields() {
    RoomConfig c = RoomConfig.DEFAULT
        .withPolicy(ConflictPolicy.FIRST_WRITER_WINS)
        .withDurable(false)
        .withRetention(7, Duration.ofSeconds(8))
        .withWriteAccess(WriteAccess.LEADER_ONLY)
        .withTakeover(Takeover.REFUSE)
        .withPresenceTimeout(Duration.ofSeconds(9))
        .withStream(Duration.ofSeconds(10), 11)
        .withStore("services");

    assertEquals(new RoomConfig(ConflictPolicy.FIRST_WRITER_WINS, false, 7, Duration.ofSeconds(8),
        WriteAccess.LEADER_ONLY, Takeover.REFUSE, Duration.ofSeconds(9), Duration.ofSeconds(10),
        11, "services"), c);
  }

  @Test
  void negativeTimeoutsAreRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> RoomConfig.DEFAULT.withPresenceTimeout(Duration.ofSeconds(-1)));
    assertThrows(IllegalArgumentException.class,
        () -> RoomConfig.DEFAULT.withStream(Duration.ofSeconds(-1), 1));
  }
}
