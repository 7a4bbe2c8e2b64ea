package dev.livestate.access;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.room.Role;
import dev.livestate.testkit.Fast;
import org.junit.jupiter.api.Test;

@Fast
class GrantTest {

  @Test
  void anExactNameCoversThatRoomOnly() {
    Grant g = new Grant("todo", Role.WRITER, 0);
    assertTrue(g.covers("todo"));
    assertFalse(g.covers("todo-2"));
    assertFalse(g.covers("tod"));
  }

  @Test
  void aTrailingStarCoversEveryRoomWithThatPrefix() {
    Grant g = new Grant("doc-*", Role.READER, 0);
    assertTrue(g.covers("doc-"));
    assertTrue(g.covers("doc-1"));
    assertFalse(g.covers("doc"));
    assertFalse(g.covers("xdoc-1"));
    assertTrue(new Grant("*", Role.READER, 0).covers("anything"));
  }

  @Test
  void aStarAnywhereButAtTheEndOrAnEmptyPatternIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Grant("a*b", Role.READER, 0));
    assertThrows(IllegalArgumentException.class, () -> new Grant("**", Role.READER, 0));
    assertThrows(IllegalArgumentException.class, () -> new Grant("", Role.READER, 0));
    assertThrows(NullPointerException.class, () -> new Grant(null, Role.READER, 0));
    assertThrows(NullPointerException.class, () -> new Grant("a", null, 0));
  }

  @Test
  void rolesNestLeaderOverWriterOverReader() {
    Grant leader = new Grant("r", Role.LEADER, 0);
    Grant writer = new Grant("r", Role.WRITER, 0);
    Grant reader = new Grant("r", Role.READER, 0);
    assertTrue(leader.allows(Role.LEADER) && leader.allows(Role.WRITER) && leader.allows(Role.READER));
    assertFalse(writer.allows(Role.LEADER));
    assertTrue(writer.allows(Role.WRITER) && writer.allows(Role.READER));
    assertFalse(reader.allows(Role.WRITER) || reader.allows(Role.LEADER));
    assertTrue(reader.allows(Role.READER));
  }
}
