package dev.livestate.bench.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.bench.ServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Takeover time: two nodes on Redis and PostgreSQL; a writer's room lives on one; that node is
 * SIGKILLed and a client of the other asks for the room (join with create) every 20 ms until
 * its node decides the room (a join served there as a reader does not count: it leaves and asks
 * again). The time from the kill to that joined answer, over many kills (the killed node
 * restarts each round and the survivor is the next to die), for each lease given.
 *
 * <pre>./mvnw -q package -DskipTests && java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
 *   dev.livestate.bench.cluster.TakeoverBench [kills] [lease...]</pre>
 *
 * Needs Redis on 127.0.0.1:6379 and PostgreSQL on 127.0.0.1:5432 (postgres, trust, database
 * test); works in a schema and under a Redis prefix of its own, dropped at the end.
 */
public final class TakeoverBench {
  private static final String PG = "jdbc:postgresql://127.0.0.1:5432/test";
  private static final String REDIS = "redis://127.0.0.1:6379";

  public static void main(String[] args) throws Exception {
    int kills = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    List<String> leases = args.length > 1 ? List.of(args).subList(1, args.length)
        : List.of("5s", "2s");
    StringBuilder report = new StringBuilder("| lease | kills | takeover p50 ms | max ms |\n"
        + "|---|---|---|---|\n");
    for (String lease : leases) {
      List<Long> times = run(kills, lease);
      Collections.sort(times);
      report.append(String.format(Locale.ROOT, "| %s | %d | %d | %d |%n", lease, times.size(),
          times.get(times.size() / 2), times.get(times.size() - 1)));
      System.out.println(lease + ": " + times);
    }
    System.out.print(report);
    Path out = Path.of("bench/results/cluster-takeover-" + LocalDate.now() + ".md");
    Files.writeString(out, "# Takeover after SIGKILL of a room's owner\n\n" + report);
    System.out.println("written to " + out);
  }

  private static List<Long> run(int kills, String lease) throws Exception {
    String schema = "takeover_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    admin("CREATE SCHEMA " + schema);
    String store = PG + "?currentSchema=" + schema;
    String prefix = "livestate-bench-" + schema + ":";
    ServerProcess[] nodes = new ServerProcess[2];
    List<Long> times = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        nodes[i] = node(store, prefix, i, lease);
      }
      int owner = 0;
      try (Client writer = new Client(nodes[owner].port(), "writer")) {
        writer.joinWhenServed(1);
      }
      for (int k = 0; k < kills; k++) {
        int survivor = 1 - owner;
        try (Client watcher = new Client(nodes[survivor].port(), "watcher" + k)) {
          long killed = System.nanoTime();
          nodes[owner].kill();
          watcher.joinWhenServed(100);
          times.add((System.nanoTime() - killed) / 1_000_000);
        }
        nodes[owner] = node(store, prefix, owner, lease);
        owner = survivor;
      }
    } finally {
      for (ServerProcess n : nodes) {
        if (n != null) {
          n.kill();
        }
      }
      admin("DROP SCHEMA " + schema + " CASCADE");
    }
    return times;
  }

  private static ServerProcess node(String store, String prefix, int i, String lease)
      throws Exception {
    return ServerProcess.start("--store", store, "--store-user", "postgres", "--cluster-redis",
        REDIS, "--cluster-prefix", prefix, "--node-id", "node-" + i, "--cluster-lease", lease);
  }

  private static void admin(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(PG, "postgres", "");
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /**
   * A native client that asks for the room until its node decides it: a node that does not own
   * the room serves the join as a reader (decision 021), so a join alone no longer says that.
   */
  private static final class Client implements WebSocket.Listener, AutoCloseable {
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    private final WebSocket ws;
    private final String clientId;
    private final int port;

    Client(int port, String clientId) throws Exception {
      this.clientId = clientId;
      this.port = port;
      this.ws = HttpClient.newHttpClient().newWebSocketBuilder()
          .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), this).get(10, TimeUnit.SECONDS);
    }

    void joinWhenServed(int firstId) throws Exception {
      ws.sendText("{\"type\":\"hello\",\"id\":0,\"clientId\":\"" + clientId
          + "\",\"resume\":\"" + clientId + "-bench-resume-secret\"}", true).join();
      for (int id = firstId; ; id++) {
        ws.sendText("{\"type\":\"join\",\"id\":" + id + ",\"room\":\"busy\",\"create\":true}",
            true).join();
        String idField = "\"id\":" + id + ",";
        while (true) {
          String m = received.poll(30, TimeUnit.SECONDS);
          if (m == null) {
            throw new IllegalStateException("no answer to join " + id);
          }
          if (m.contains(idField)) {
            if (m.contains("\"type\":\"joined\"")) {
              if (ownsTheRoom()) {
                return;
              }
              leave(id);
            }
            break;
          }
        }
        Thread.sleep(20);
      }
    }

    private void leave(int id) throws Exception {
      ws.sendText("{\"type\":\"leave\",\"id\":" + id + ",\"room\":\"busy\"}", true).join();
      String left = "\"type\":\"left\"";
      String m;
      do {
        m = received.poll(30, TimeUnit.SECONDS);
      } while (m != null && !m.contains(left));
    }

    private boolean ownsTheRoom() throws Exception {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/api/cluster")).build(),
          HttpResponse.BodyHandlers.ofString());
      JsonNode cluster = new ObjectMapper().readTree(r.body());
      for (JsonNode n : cluster.path("nodes")) {
        if (n.path("node").equals(cluster.path("node"))) {
          for (JsonNode room : n.path("rooms")) {
            if (room.asText().equals("busy")) {
              return true;
            }
          }
        }
      }
      return false;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        received.add(partial.toString());
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public void close() {
      ws.abort();
    }
  }
}
