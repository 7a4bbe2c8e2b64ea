package dev.livestate.testkit.database;

import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test does when something it needs from outside the JVM (a database server) is not
 * there: on a developer's machine it is skipped, saying why; on CI ({@code CI=true}, which surefire
 * passes on as {@code LIVESTATE_TEST_CI}) it fails, since CI starts everything the tests need.
 */
public final class Prerequisite {
  private Prerequisite() {}

  public static boolean onCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"))
        || "true".equalsIgnoreCase(System.getenv("LIVESTATE_TEST_CI"));
  }

  /**
   * Skips the calling test, or fails it on CI, with {@code why}. It always throws; the return
   * type lets a caller write {@code throw Prerequisite.missing(why)} where a value is expected.
   */
  public static AssertionError missing(String why) {
    if (onCi()) {
      Assertions.fail(why);
    }
    Assumptions.abort(why);
    return new AssertionError(why);
  }

  /** Unless something accepts connections on 127.0.0.1:{@code port}, {@link #missing}. */
  public static void listening(int port, String what) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
    } catch (Exception e) {
      throw missing(what + " is not reachable on 127.0.0.1:" + port + ": " + e);
    }
  }
}
