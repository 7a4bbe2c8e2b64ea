package dev.livestate.bench.profile;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * What a flight recording of the server says: where its threads ran Java code (the top frame of
 * each execution sample, and each method's share of samples anywhere on the stack), which native
 * calls they were in when not waiting, samples per thread, and what was allocated, by class and by
 * the allocating method, as bytes a second.
 *
 * <pre>java -cp "$CP" dev.livestate.bench.profile.JfrSummary recording.jfr [rows]</pre>
 *
 * Record with {@code -XX:StartFlightRecording=settings=profile,filename=recording.jfr} on the
 * server's JVM.
 */
public final class JfrSummary {
  /** Native frames where a thread waits rather than works: left out of the native table. */
  private static final Pattern WAITING = Pattern.compile(
      "epollWait|EPoll\\.wait|Unsafe\\.park|Object\\.wait|Thread\\.sleep|accept0|poll0|socketAccept");

  private final Map<String, Long> selfSamples = new HashMap<>();
  private final Map<String, Long> totalSamples = new HashMap<>();
  private final Map<String, Long> nativeSamples = new HashMap<>();
  private final Map<String, Long> threadSamples = new HashMap<>();
  private final Map<String, Long> bytesByClass = new HashMap<>();
  private final Map<String, Long> bytesBySite = new HashMap<>();
  private final Map<String, Long> bytesByOwnCode = new HashMap<>();
  private final Map<String, Long> samplesByOwnCode = new HashMap<>();
  private long executionSamples;
  private long nativeWorkSamples;
  private long allocatedBytes;
  private Instant first;
  private Instant last;

  public static void main(String[] args) throws Exception {
    JfrSummary summary = new JfrSummary();
    for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
      summary.add(e);
    }
    System.out.print(summary.report(args.length > 1 ? Integer.parseInt(args[1]) : 15));
  }

  private void add(RecordedEvent e) {
    first = first == null || e.getStartTime().isBefore(first) ? e.getStartTime() : first;
    last = last == null || e.getEndTime().isAfter(last) ? e.getEndTime() : last;
    RecordedStackTrace stack = e.getStackTrace();
    switch (e.getEventType().getName()) {
      case "jdk.ExecutionSample" -> {
        if (stack == null || stack.getFrames().isEmpty()) {
          return;
        }
        executionSamples++;
        List<RecordedFrame> frames = stack.getFrames();
        selfSamples.merge(name(frames.get(0)), 1L, Long::sum);
        Set<String> seen = new HashSet<>();
        for (RecordedFrame f : frames) {
          if (seen.add(name(f))) {
            totalSamples.merge(name(f), 1L, Long::sum);
          }
        }
        threadSamples.merge(threadGroup(e.getThread("sampledThread").getJavaName()), 1L, Long::sum);
        samplesByOwnCode.merge(ownCode(frames), 1L, Long::sum);
      }
      case "jdk.NativeMethodSample" -> {
        if (stack == null || stack.getFrames().isEmpty()) {
          return;
        }
        String top = name(stack.getFrames().get(0));
        if (!WAITING.matcher(top).find()) {
          nativeWorkSamples++;
          nativeSamples.merge(top, 1L, Long::sum);
        }
      }
      case "jdk.ObjectAllocationSample" -> {
        long weight = e.getLong("weight");
        allocatedBytes += weight;
        bytesByClass.merge(e.getClass("objectClass").getName(), weight, Long::sum);
        if (stack != null && !stack.getFrames().isEmpty()) {
          bytesBySite.merge(name(stack.getFrames().get(0)), weight, Long::sum);
          bytesByOwnCode.merge(ownCode(stack.getFrames()), weight, Long::sum);
        }
      }
      default -> {
        // other events are not summarised
      }
    }
  }

  private static String name(RecordedFrame f) {
    String type = f.getMethod().getType().getName();
    return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
  }

  /** The innermost frame of livestate's own code: whose work a library's frames were doing. */
  private static String ownCode(List<RecordedFrame> frames) {
    for (RecordedFrame f : frames) {
      if (f.getMethod().getType().getName().startsWith("dev.livestate.")) {
        return name(f);
      }
    }
    return "(no livestate frame)";
  }

  /** Pool threads by their pool's name: "vert.x-eventloop-thread-0" and "-1" are one row. */
  private static String threadGroup(String thread) {
    return thread == null ? "?" : thread.replaceAll("[-#]?\\d+$", "");
  }

  private String report(int rows) {
    double seconds = Duration.between(first, last).toMillis() / 1000.0;
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
        "recording %.0f s: %,d Java execution samples, %,d native samples outside waits, "
            + "%,.1f MB allocated a second (sampled weight)%n", seconds, executionSamples,
        nativeWorkSamples, allocatedBytes / seconds / 1e6));
    table(out, "Java samples by thread pool", threadSamples, executionSamples, rows);
    table(out, "Java top frames (self)", selfSamples, executionSamples, rows);
    table(out, "Java methods anywhere on the stack (total)", totalSamples, executionSamples, rows);
    table(out, "Java samples by innermost livestate frame", samplesByOwnCode, executionSamples, rows);
    table(out, "Native top frames, waits left out", nativeSamples, nativeWorkSamples, rows);
    table(out, "Allocated bytes by class", bytesByClass, allocatedBytes, rows);
    table(out, "Allocated bytes by allocating method", bytesBySite, allocatedBytes, rows);
    table(out, "Allocated bytes by innermost livestate frame", bytesByOwnCode, allocatedBytes, rows);
    return out.toString();
  }

  private static void table(StringBuilder out, String title, Map<String, Long> counts, long all,
      int rows) {
    out.append("\n| ").append(title).append(" | share |\n|---|---|\n");
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
        .limit(rows)
        .forEach(c -> out.append(String.format(Locale.ROOT, "| `%s` | %.1f %% |%n", c.getKey(),
            100.0 * c.getValue() / Math.max(1, all))));
  }
}
