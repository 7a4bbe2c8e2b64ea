package dev.livestate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * A benchmark's report under bench/results/, named after the scenario and the time the run
 * ended. Written as a new file only: a committed result is history that a later run must not
 * replace.
 */
public final class ResultFile {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmmss");

  private ResultFile() {}

  /** Writes {@code text} to bench/results/NAME-DATE-TIME.md and returns that path. */
  public static Path write(String name, String text) throws IOException {
    Path out = Path.of("bench", "results", name + "-" + LocalDateTime.now().format(STAMP) + ".md");
    Files.createDirectories(out.getParent());
    return Files.writeString(out, text, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
  }
}
