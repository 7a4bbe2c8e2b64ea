package dev.livestate.server.cluster;

import dev.livestate.server.ChildServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A test of two real server processes, nodes a and b of a fresh cluster with a 5 s lease on
 * this machine's Redis and PostgreSQL, stopped after each test.
 */
abstract class TwoNodeTest {
  protected TestCluster cluster;
  protected ChildServer a;
  protected ChildServer b;

  /** Settings both nodes start with beside the cluster's own. */
  protected String[] settings() {
    return new String[0];
  }

  @BeforeEach
  final void startTwoNodes() throws Exception {
    cluster = new TestCluster("5s");
    a = cluster.node("a", settings());
    b = cluster.node("b", settings());
  }

  @AfterEach
  final void stopTheNodes() throws Exception {
    cluster.close();
  }
}
