package dev.livestate.store.jdbc;

import dev.livestate.store.Store;
import dev.livestate.testkit.store.StoreFencingContract;

/**
 * The fencing contract on a database server: two nodes' stores on one set of tables. Each
 * subclass names its database and drops the run's tables in an {@code @AfterAll}.
 */
abstract class ServerDatabaseFencingContract extends StoreFencingContract {

  abstract ServerDatabase database();

  @Override
  protected Store open() throws Exception {
    database().require();
    Store s = openOther();
    database().clear();
    return s;
  }

  @Override
  protected Store reopen() {
    store.close();
    return openOther();
  }

  @Override
  protected Store openOther() {
    ServerDatabase db = database();
    return JdbcStore.connect(db.url, db.user, db.password, db.prefix);
  }
}
