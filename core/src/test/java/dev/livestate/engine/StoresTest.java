package dev.livestate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.room.RoomConfig;
import dev.livestate.store.MemoryStore;
import dev.livestate.store.Store;
import dev.livestate.testkit.Fast;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which store a room lives in, by its config. */
@Fast
class StoresTest {
  private final Store durable = new MemoryStore();
  private final Store memory = new MemoryStore();
  private final Store services = new MemoryStore();

  @Test
  void roomGoesToTheStoreOfItsDurabilityUnlessItNamesOne() {
    Stores stores = new Stores(durable, memory, Map.of("services", services));

    assertSame(durable, stores.forConfig(RoomConfig.DEFAULT));
    assertSame(memory, stores.forConfig(RoomConfig.DEFAULT.withDurable(false)));
    assertSame(services, stores.forConfig(RoomConfig.DEFAULT.withStore("services")));
    assertSame(services,
        stores.forConfig(RoomConfig.DEFAULT.withDurable(false).withStore("services")));
  }

  @Test
  void unknownStoreNameIsRefused() {
    Stores stores = Stores.of(durable, memory);

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> stores.forConfig(RoomConfig.DEFAULT.withStore("nope")));
    assertTrue(e.getMessage().contains("nope"), e.getMessage());
  }

  @Test
  void namedStoresAreKnownByName() {
    Stores stores = new Stores(durable, memory, Map.of("services", services));

    assertTrue(stores.has("services"));
    assertFalse(stores.has("other"));
  }

  @Test
  void everyDistinctStoreIsListedOnceDurableFirst() {
    assertEquals(List.of(durable, memory, services),
        new Stores(durable, memory, Map.of("services", services)).all());
    assertEquals(List.of(durable), Stores.of(durable, durable).all());
    assertEquals(List.of(durable, memory),
        new Stores(durable, memory, Map.of("again", memory, "first", durable)).all());
  }
}
