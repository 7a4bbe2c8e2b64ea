package dev.livestate.server.adapter.nativews;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.server.TestServer;
import io.netty.util.concurrent.EventExecutor;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A server with four event loops (more than this machine's cores): the connections of writers and
 * readers are shared among the loops (each loop works), and the sync contract holds across them.
 */
class NativeEventLoopsTest {
  private static final int WRITERS = 8;
  private static final int READERS_PER_ROOM = 6;
  private static final int CHANGES_PER_WRITER = 40;
  private static final List<String> ROOMS = List.of("loops-a", "loops-b");

  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("event-loops", "4"));

  @Test
  void writersOnManyLoopsAreAckedGapFreeAndEveryReaderSeesOneOrder() throws Exception {
    Map<Thread, Long> cpuBefore = loopCpuNanos();
    int total = WRITERS * CHANGES_PER_WRITER;
    List<NativeClient> clients = new ArrayList<>();
    ExecutorService writing = Executors.newFixedThreadPool(WRITERS);
    try {
      List<List<NativeClient>> readers = new ArrayList<>();
      for (String room : ROOMS) {
        List<NativeClient> here = new ArrayList<>();
        try (NativeClient creator = NativeClient.connect(server.ws("/ws"), room + "-creator")) {
          assertEquals("joined", creator.join(room,
              Map.of("create", Map.of("policy", "last-writer-wins"))).path("type").asText());
        }
        for (int i = 0; i < READERS_PER_ROOM; i++) {
          NativeClient reader = NativeClient.connect(server.ws("/ws"), room + "-reader-" + i);
          clients.add(reader);
          reader.join(room, Map.of("role", "reader"));
          here.add(reader);
        }
        readers.add(here);
      }
      Map<String, Set<Long>> acked = Map.of(ROOMS.get(0), new ConcurrentSkipListSet<>(),
          ROOMS.get(1), new ConcurrentSkipListSet<>());
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        String name = "writer-" + w;
        writers.add(writing.submit(() -> {
          for (String room : ROOMS) {
            try (NativeClient writer = NativeClient.connect(server.ws("/ws"), name + "-" + room)) {
              writer.join(room, Map.of());
              acked.get(room).addAll(writeAll(writer, room, name));
            }
          }
          return null;
        }));
      }
      for (Future<?> f : writers) {
        f.get();
      }
      for (int r = 0; r < ROOMS.size(); r++) {
        String room = ROOMS.get(r);
        assertEquals(seqs(total), new TreeSet<>(acked.get(room)),
            "every change in " + room + " acked with its own seq, no gap");
        List<String> firstOrder = null;
        for (NativeClient reader : readers.get(r)) {
          reader.ws.awaitMessages(all -> opsIn(all) >= total ? true : null);
          reader.drainOps(); // fails on a gap or a duplicate
          assertEquals(total, reader.seenSeq, reader.clientId + " saw every op");
          List<String> order = new ArrayList<>(reader.state.keySet());
          if (firstOrder == null) {
            firstOrder = order;
          }
          assertEquals(firstOrder, order, reader.clientId + " saw the changes in the same order");
        }
      }
      assertEveryLoopWorked(cpuBefore, loopCpuNanos());
    } finally {
      writing.shutdownNow();
      clients.forEach(NativeClient::close);
    }
  }

  /**
   * The CPU time each of the server's event-loop threads has used. A loop that serves no
   * connection only waits in epoll; one that serves a share of these clients works.
   */
  private static Map<Thread, Long> loopCpuNanos() throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<Thread, Long> cpu = new LinkedHashMap<>();
    for (EventExecutor loop : server.server().vertx().nettyEventLoopGroup()) {
      Thread t = loop.submit(Thread::currentThread).get();
      cpu.put(t, threads.getThreadCpuTime(t.getId()));
    }
    return cpu;
  }

  /** Each loop did at least a tenth of the busiest loop's work: the connections were shared. */
  private static void assertEveryLoopWorked(Map<Thread, Long> before, Map<Thread, Long> after) {
    Map<String, Long> worked = new LinkedHashMap<>();
    after.forEach((t, nanos) -> worked.put(t.getName(), nanos - before.get(t)));
    long most = worked.values().stream().mapToLong(Long::longValue).max().orElse(0);
    assertEquals(4, worked.size(), "four event loops: " + worked);
    worked.forEach((name, nanos) -> assertTrue(nanos * 10 >= most,
        name + " served a share of the connections (CPU ns per loop: " + worked + ")"));
  }

  /** Sends every change at once, then takes their results: the seqs it was acked with. */
  private static List<Long> writeAll(NativeClient writer, String room, String name) {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < CHANGES_PER_WRITER; i++) {
      ids.add(writer.post(Map.of("type", "submit", "room", room,
          "changes", List.of(writer.change(Map.of(name + "-" + i, i))))));
    }
    List<Long> seqs = new ArrayList<>();
    for (long id : ids) {
      JsonNode result = writer.ws.await(n -> n.path("id").asLong(-1) == id);
      assertEquals("result", result.path("type").asText(), "a result: " + result);
      assertEquals(0, result.path("rejects").size(), "no change refused: " + result);
      result.get("acks").forEach(ack -> seqs.add(ack.get("seq").asLong()));
    }
    return seqs;
  }

  private static int opsIn(List<JsonNode> messages) {
    int n = 0;
    for (JsonNode m : messages) {
      if ("ops".equals(m.path("type").asText())) {
        n += m.get("ops").size();
      }
    }
    return n;
  }

  private static Set<Long> seqs(int total) {
    return new TreeSet<>(LongStream.rangeClosed(1, total).boxed().toList());
  }
}
