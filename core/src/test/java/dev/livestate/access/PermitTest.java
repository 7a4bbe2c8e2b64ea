package dev.livestate.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.room.Role;
import java.util.ArrayList;
import java.util.List;
import dev.livestate.testkit.Fast;
import org.junit.jupiter.api.Test;

@Fast
class PermitTest {
  private static final long NEVER = Long.MAX_VALUE;

  private static Permit token(Grant... grants) {
    return Permit.of("alice", false, List.of(grants), NEVER);
  }

  private static Verdict.Allowed allowed(Verdict v) {
    return assertInstanceOf(Verdict.Allowed.class, v);
  }

  private static String refused(Verdict v) {
    return assertInstanceOf(Verdict.Refused.class, v).reason();
  }

  @Test
  void anOpenPermitTrustsTheClientOnItsOwnDoorsRooms() {
    Permit open = Permit.open();
    assertSame(open, Permit.open());
    assertNull(open.subject());
    assertEquals(new Verdict.Allowed(Role.WRITER, 0),
        open.admit(Home.NATIVE, "todo", Action.READ, null, null));
    assertEquals(new Verdict.Allowed(Role.LEADER, 99),
        open.admit(Home.NATIVE, "todo", Action.LEAD, Role.LEADER, 99));
    assertEquals(new Verdict.Allowed(Role.WRITER, 0), open.check(Home.NATIVE, "t", Action.CREATE));
  }

  @Test
  void anOpenPermitNeverReachesAnotherSurfacesRoomsNorDeletes() {
    Permit open = Permit.open();
    String why = refused(open.check(Home.NATIVE, "meet:123456789", Action.READ));
    assertTrue(why.contains("meet surface"), why);
    refused(open.check(Home.NATIVE, "uisync:mrc", Action.WRITE));
    refused(open.check(Home.MEET, "todo", Action.READ));
    assertTrue(refused(open.check(Home.NATIVE, "todo", Action.DELETE)).contains("operator"));
  }

  @Test
  void theServersOwnRoomsAreReachedByNoDoorNotEvenByAnOperator() {
    Permit admin = Permit.of("root", true, List.of(), NEVER);
    refused(admin.check(Home.NATIVE, "livestate:clients", Action.READ));
    refused(admin.check(Home.SYSTEM, "livestate:clients", Action.READ));
  }

  @Test
  void anOperatorReachesEveryRoomThroughEveryDoorAndMayDelete() {
    Permit admin = Permit.of("root", true, List.of(), NEVER);
    assertEquals(new Verdict.Allowed(Role.WRITER, 0),
        admin.check(Home.NATIVE, "meet:123456789", Action.WRITE));
    allowed(admin.check(Home.NATIVE, "todo", Action.DELETE));
    assertEquals(new Verdict.Allowed(Role.LEADER, 7),
        admin.admit(Home.MEET, "uisync:mrc", Action.LEAD, Role.LEADER, 7));
  }

  @Test
  void aTokenReachesOnlyTheRoomsItsGrantsCover() {
    Permit p = token(new Grant("doc-*", Role.WRITER, 3));
    allowed(p.check(Home.NATIVE, "doc-1", Action.WRITE));
    assertTrue(refused(p.check(Home.NATIVE, "todo", Action.READ)).contains("no grant"));
    refused(p.check(Home.NATIVE, "doc-1", Action.DELETE));
    refused(p.check(Home.NATIVE, "meet:1", Action.READ));
  }

  @Test
  void roleAndPriorityComeFromTheGrantWhenTheClientAsksForNone() {
    Permit p = token(new Grant("r", Role.WRITER, 5), new Grant("s", Role.READER, 4),
        new Grant("l", Role.LEADER, 9));
    assertEquals(new Verdict.Allowed(Role.WRITER, 5), p.check(Home.NATIVE, "r", Action.READ));
    assertEquals(new Verdict.Allowed(Role.READER, 4), p.check(Home.NATIVE, "s", Action.READ));
    assertEquals(new Verdict.Allowed(Role.WRITER, 9), p.check(Home.NATIVE, "l", Action.WRITE),
        "a leader grant joins as a writer: leading is a claim of its own");
    assertEquals(new Verdict.Allowed(Role.LEADER, 9), p.check(Home.NATIVE, "l", Action.LEAD));
  }

  @Test
  void aClientMayAskForLessThanItsGrantButNeverMore() {
    Permit p = token(new Grant("r", Role.WRITER, 5));
    assertEquals(new Verdict.Allowed(Role.READER, 2),
        p.admit(Home.NATIVE, "r", Action.READ, Role.READER, 2));
    assertEquals(new Verdict.Allowed(Role.WRITER, 5),
        p.admit(Home.NATIVE, "r", Action.READ, Role.WRITER, 5));
    String why = refused(p.admit(Home.NATIVE, "r", Action.READ, Role.WRITER, 6));
    assertTrue(why.contains("priority 6") && why.contains("5"), why);
    assertTrue(refused(p.admit(Home.NATIVE, "r", Action.READ, Role.LEADER, null))
        .contains("writer only"));
    refused(p.check(Home.NATIVE, "r", Action.LEAD));
  }

  @Test
  void aReaderGrantReadsButNeitherWritesNorCreates() {
    Permit p = token(new Grant("r", Role.READER, 0));
    allowed(p.check(Home.NATIVE, "r", Action.READ));
    assertTrue(refused(p.check(Home.NATIVE, "r", Action.WRITE)).contains("reader only"));
    refused(p.check(Home.NATIVE, "r", Action.CREATE));
    refused(p.admit(Home.NATIVE, "r", Action.READ, Role.WRITER, null));
  }

  @Test
  void theMostSpecificGrantDecides() {
    Permit p = token(new Grant("*", Role.WRITER, 1), new Grant("doc-*", Role.READER, 2),
        new Grant("doc-1", Role.LEADER, 3), new Grant("d*", Role.WRITER, 4));
    assertEquals(3, p.grantFor("doc-1").priority());
    assertEquals(2, p.grantFor("doc-2").priority());
    assertEquals(4, p.grantFor("dx").priority());
    assertEquals(1, p.grantFor("x").priority());
    assertNull(token().grantFor("x"));
    Permit reversed = token(new Grant("doc-1", Role.LEADER, 3), new Grant("doc-*", Role.READER, 2),
        new Grant("*", Role.WRITER, 1));
    assertEquals(3, reversed.grantFor("doc-1").priority());
    assertEquals(2, reversed.grantFor("doc-2").priority());
    Permit twice = token(new Grant("doc-*", Role.READER, 1), new Grant("doc-*", Role.WRITER, 2));
    assertEquals(1, twice.grantFor("doc-1").priority(), "of two as specific, the first decides");
  }

  @Test
  void aPermitExpiresAtItsTime() {
    Permit p = Permit.of("a", false, List.of(), 1_000);
    assertFalse(p.expired(999));
    assertTrue(p.expired(1_000));
    assertFalse(Permit.open().expired(Long.MAX_VALUE - 1));
  }

  @Test
  void millisLeftSaysWhenToCloseAndNeverForAPermitWithoutEnd() {
    Permit p = Permit.of("a", false, List.of(), 1_000);
    assertEquals(400, p.millisLeft(600));
    assertEquals(1, p.millisLeft(1_000), "at once, not never, once it is void");
    assertEquals(1, p.millisLeft(5_000));
    assertEquals(-1, Permit.open().millisLeft(0));
  }

  @Test
  void grantsAreCopiedAndATokenPermitNamesItsSubject() {
    List<Grant> grants = new ArrayList<>(List.of(new Grant("r", Role.READER, 0)));
    Permit p = Permit.of("bob", false, grants, NEVER);
    grants.clear();
    assertEquals(1, p.grants().size());
    assertEquals("bob", p.subject());
    assertFalse(p.trusting());
    assertTrue(Permit.open().trusting());
    assertThrows(NullPointerException.class, () -> Permit.of(null, false, List.of(), NEVER));
    assertThrows(NullPointerException.class, () -> new Permit("a", false, null, false, NEVER));
  }
}
