package dev.livestate.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.op.Op;
import dev.livestate.state.State;
import dev.livestate.store.Store;
import dev.livestate.store.StoredRoom;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Kills a writing process with SIGKILL and checks that nothing it was told is committed is lost. */
class CrashTest {
  private static final int ROOMS = 8;

  @TempDir
  Path dir;

  @Test
  @Timeout(30)
  void everyAckedOpSurvivesAKill() throws Exception {
    Path file = dir.resolve("crash.db");
    Path errors = dir.resolve("child.err");
    Process child = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classpath(), CrashWriter.class.getName(), file.toString(), String.valueOf(ROOMS))
        .redirectError(errors.toFile())
        .start();
    Map<String, Long> acked = new ConcurrentHashMap<>();
    AtomicLong ackedOps = new AtomicLong();
    CountDownLatch enough = new CountDownLatch(1);
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          String[] f = line.split(" ");
          if (f.length == 3) {
            long first = Long.parseLong(f[1]);
            long last = Long.parseLong(f[2]);
            acked.merge(f[0], last, Math::max);
            if (ackedOps.addAndGet(last - first + 1) >= 5_000) {
              enough.countDown();
            }
          }
        }
      } catch (Exception e) {
        // The pipe breaks when the child dies: every line it completed was read.
      }
    });
    reader.start();
    // Kill it mid-stream: after enough acks, or after a few seconds on a slow machine.
    enough.await(6, TimeUnit.SECONDS);
    child.destroyForcibly();
    child.waitFor(10, TimeUnit.SECONDS);
    reader.join(10_000);

    String childErrors = Files.readString(errors);
    System.out.println("child acked " + ackedOps.get() + " ops before SIGKILL: " + acked);
    assertTrue(ackedOps.get() > 0, "the child acked nothing; its stderr:\n" + childErrors);
    try (Store store = JdbcStore.sqlite(file, false)) {
      Map<String, StoredRoom> rooms = new ConcurrentHashMap<>();
      store.recover(0).forEach(r -> rooms.put(r.name(), r));
      assertEquals(ROOMS, rooms.size());
      for (StoredRoom r : rooms.values()) {
        long ackedHead = acked.getOrDefault(r.name(), 0L);
        assertTrue(r.head() >= ackedHead, r.name() + " lost acked ops: head " + r.head()
            + " < acked " + ackedHead + "; child stderr:\n" + childErrors);
        List<Long> seqs = r.recentOps().stream().map(Op::seq).toList();
        assertEquals(LongStream.rangeClosed(1, r.head()).boxed().toList(), seqs,
            r.name() + " ops are gap-free from 1 to its head");
        State state = new State();
        r.recentOps().forEach(state::apply);
        assertEquals(state.entries(), r.entries(), r.name() + " state is the fold of its ops");
      }
    }
  }

  /** Surefire may hand the test JVM a manifest-only jar; the child can run from it just the same. */
  private static String classpath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank() ? surefire
        : System.getProperty("java.class.path");
  }
}
