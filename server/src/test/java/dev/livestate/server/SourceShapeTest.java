package dev.livestate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What a newcomer walking the main sources should find: no class too long to read at a sitting,
 * and a package-info.java saying what each package is. Covers every module's src/main/java.
 */
class SourceShapeTest {
  /** A main source file past this is two classes waiting to be told apart (STYLE.md §13). */
  static final int MAX_LINES = 500;

  private static List<Path> mainSourceRoots() throws IOException {
    // tests run in the server module's directory; the modules are its siblings
    Path repo = Path.of("").toAbsolutePath().getParent();
    List<Path> roots = new ArrayList<>();
    try (Stream<Path> modules = Files.list(repo)) {
      modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).forEach(roots::add);
    }
    assertTrue(roots.size() >= 4, "found the modules' sources: " + roots);
    return roots;
  }

  @Test
  void noMainSourceFileIsOverFiveHundredLines() throws IOException {
    List<String> tooLong = new ArrayList<>();
    for (Path root : mainSourceRoots()) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          long lines;
          try (Stream<String> l = Files.lines(f)) {
            lines = l.count();
          }
          if (lines > MAX_LINES) {
            tooLong.add(root.relativize(f) + " (" + lines + " lines)");
          }
        }
      }
    }
    assertEquals(List.of(), tooLong);
  }

  @Test
  void everyMainPackageSaysWhatItIs() throws IOException {
    List<String> undocumented = new ArrayList<>();
    for (Path root : mainSourceRoots()) {
      try (Stream<Path> dirs = Files.walk(root)) {
        for (Path dir : dirs.filter(Files::isDirectory).toList()) {
          boolean hasClasses;
          try (Stream<Path> files = Files.list(dir)) {
            hasClasses = files.anyMatch(p -> p.toString().endsWith(".java"));
          }
          if (hasClasses && !Files.exists(dir.resolve("package-info.java"))) {
            undocumented.add(root.relativize(dir).toString());
          }
        }
      }
    }
    assertEquals(List.of(), undocumented);
  }
}
