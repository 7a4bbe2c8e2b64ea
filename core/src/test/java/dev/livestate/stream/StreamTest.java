package dev.livestate.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livestate.op.Json;
import dev.livestate.testkit.Fast;
import java.util.List;
import org.junit.jupiter.api.Test;

@Fast
class StreamTest {
  private static final Json BODY = new Json("\"m\"");

  @Test
  void messagesWithTheSameTimeKeepTheirArrivalOrder() {
    Stream s = new Stream(1000, 10);
    StreamMessage a = s.append(5, BODY, 0);
    StreamMessage b = s.append(5, BODY, 0);

    assertEquals(List.of(a, b), s.range(5, 5, 0));
  }

  @Test
  void messageExpiresItsTtlAfterItArrivedWhateverItsOwnTime() {
    Stream s = new Stream(1000, 10);
    StreamMessage m = s.append(0, BODY, 500);

    assertEquals(1500, m.expiresAt());
    assertEquals(List.of(m), s.range(0, 0, 1499));
    assertEquals(List.of(), s.range(0, 0, 1500));
  }

  @Test
  void expiringDropsOnlyExpiredMessages() {
    Stream s = new Stream(1000, 10);
    s.append(1, BODY, 0);
    s.append(2, BODY, 100);
    StreamMessage late = s.append(3, BODY, 600);

    s.expire(1100);

    assertEquals(List.of(late), s.range(0, 10, 0), "gone for good, even for an earlier now");
  }

  @Test
  void restoredMessagesKeepTheirIdsAndNewOnesContinueAfterThem() {
    Stream s = new Stream(1000, 10);
    s.restore(new StreamMessage(41, 1, 2000, BODY));
    s.restore(new StreamMessage(7, 0, 2000, BODY));

    assertEquals(42, s.append(2, BODY, 0).id());
  }

  @Test
  void rangeWithFromAfterToIsEmpty() {
    Stream s = new Stream(1000, 10);
    s.append(5, BODY, 0);

    assertEquals(List.of(), s.range(6, 4, 0));
    assertEquals(1, s.range(5, 5, 0).size());
  }
}
