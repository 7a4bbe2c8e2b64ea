package dev.livestate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.livestate.op.Json;
import dev.livestate.testkit.CapturedReply;
import dev.livestate.testkit.Fast;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A non-owner's attributes against reads of the store that overlap its own puts (decision
 * 026): a read begun before the owner answered a put does not take the put back, and a reload
 * outranks every read begun before it.
 */
@Fast
class AttributeReadsTest {
  private static final Json OLD = new Json("1");
  private static final Json NEW = new Json("2");
  private final Attributes attributes = new Attributes();

  private void putThroughOwner(String key, Json value) {
    CapturedReply<Void> reply = new CapturedReply<>();
    attributes.forwarded(key, value, reply).done(null, null);
    assertEquals(true, reply.isDone());
  }

  @Test
  void aReadThatBeganBeforeAPutWasAnsweredDoesNotTakeItBack() {
    long before = attributes.readStarted();
    putThroughOwner("session", NEW);
    putThroughOwner("gone", null);

    attributes.read(before, Map.of("session", OLD, "gone", OLD, "other", OLD));

    assertEquals(NEW, attributes.get("session"));
    assertFalse(attributes.has("gone"));
    assertEquals(OLD, attributes.get("other"), "the rest is what the store holds");
  }

  @Test
  void aReadThatBeganAfterThePutTakesWhatTheStoreHolds() {
    putThroughOwner("session", NEW);
    long after = attributes.readStarted();

    attributes.read(after, Map.of("session", OLD));

    assertEquals(OLD, attributes.get("session"), "changed on the owner since: the store wins");
  }

  @Test
  void aPutTheOwnerRefusedIsNotTaken() {
    CapturedReply<Void> reply = new CapturedReply<>();
    attributes.forwarded("session", NEW, reply).done(null, new IllegalStateException("no"));
    assertNull(attributes.get("session"));
  }

  @Test
  void aReloadOutranksAReadBegunBeforeIt() {
    long before = attributes.readStarted();
    attributes.reload(Map.of("auth", NEW));

    attributes.read(before, Map.of("auth", OLD, "stale", OLD));

    assertEquals(Map.of("auth", NEW), attributes.startingWith(""));
  }

  @Test
  void aFailedReadChangesNothing() {
    attributes.put("auth", NEW);
    attributes.read(attributes.readStarted(), null);
    assertEquals(Map.of("auth", NEW), attributes.startingWith(""));
  }
}
