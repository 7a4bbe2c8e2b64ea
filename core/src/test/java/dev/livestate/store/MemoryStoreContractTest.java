package dev.livestate.store;

import dev.livestate.testkit.Fast;

/** A memory store keeps its data in the process: reopening is holding on to the same one. */
@Fast
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
