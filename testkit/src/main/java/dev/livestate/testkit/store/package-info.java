/**
 * The {@link dev.livestate.store.Store} contract suite: {@link
 * dev.livestate.testkit.store.StoreContract} and the parts it is built from, run against every
 * store by one short subclass in the store's own module (the memory store's in this module's
 * tests, since the core cannot depend on the testkit), and {@link
 * dev.livestate.testkit.store.TestOps} for writing ops and folding them into the state a store
 * must recover.
 */
package dev.livestate.testkit.store;
