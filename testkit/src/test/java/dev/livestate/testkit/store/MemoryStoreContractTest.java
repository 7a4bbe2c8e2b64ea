package dev.livestate.testkit.store;

import dev.livestate.store.MemoryStore;
import dev.livestate.store.Store;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * A memory store keeps its data in the process: reopening is holding on to the same one. It runs
 * here, beside the contract, because the core that holds the memory store cannot depend on the
 * testkit; its tests run in milliseconds, so one still running after two seconds has hung.
 */
@Timeout(value = 2, unit = TimeUnit.SECONDS)
class MemoryStoreContractTest extends StoreContract {
  @Override
  protected Store open() {
    return new MemoryStore();
  }

  @Override
  protected Store reopen() {
    return store;
  }
}
