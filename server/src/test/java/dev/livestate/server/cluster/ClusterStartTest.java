package dev.livestate.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the real entry point says about cluster settings it cannot use, before it opens a store. */
class ClusterStartTest {
  @TempDir
  Path data;

  /** Runs Main to its exit; its exit code and what it wrote to stderr. */
  private record Exit(int code, String err) {}

  private Exit main(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        "dev.livestate.server.Main", "--port", "0", "--data-dir", data.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().keySet().removeIf(k -> k.startsWith("LIVESTATE_"));
    Path err = Files.createTempFile("livestate-cluster", ".err");
    Process p = pb.redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(err.toFile()).start();
    try {
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "Main did not exit");
    } finally {
      p.destroyForcibly();
    }
    return new Exit(p.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void clusterModeWithTheSqliteOrMemoryStoreIsRefusedNamingTheStoreToUse() throws Exception {
    for (String store : List.of("sqlite", "memory")) {
      Exit exit = main("--cluster-redis", "redis://127.0.0.1:6379", "--store", store);
      assertEquals(2, exit.code(), exit.err());
      assertTrue(exit.err().contains("cluster mode (--cluster-redis) needs a store that every"
          + " node shares: give --store jdbc:postgresql://"), exit.err());
      assertTrue(exit.err().contains("not " + store), exit.err());
    }
    assertTrue(Files.notExists(data.resolve("livestate.db")), "no store was opened");
  }

  @Test
  void aRedisAddressOrNodeNameOfTheWrongShapeIsRefused() throws Exception {
    Exit url = main("--cluster-redis", "http://127.0.0.1:6379");
    assertEquals(2, url.code(), url.err());
    assertTrue(url.err().contains("invalid value 'http://127.0.0.1:6379' for cluster.redis:"
        + " expected redis://HOST:PORT or redis://HOST:PORT/DB"), url.err());

    Exit node = main("--node-id", "two words");
    assertEquals(2, node.code(), node.err());
    assertTrue(node.err().contains("a node name has no spaces"), node.err());
  }
}
