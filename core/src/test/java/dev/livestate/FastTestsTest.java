package dev.livestate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.testkit.Fast;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The safety net itself: no core test class can be added without the time limit. */
@Fast
class FastTestsTest {

  @Test
  void everyCoreTestClassHasTheTimeLimit() throws IOException, URISyntaxException {
    Path root = Path.of(FastTestsTest.class.getProtectionDomain().getCodeSource().getLocation()
        .toURI());
    List<String> missing;
    int found;
    try (Stream<Path> files = Files.walk(root)) {
      List<Class<?>> tests = files
          .map(p -> root.relativize(p).toString())
          .filter(n -> n.endsWith("Test.class") && !n.contains("$"))
          .<Class<?>>map(n -> load(n.substring(0, n.length() - ".class".length())
              .replace(java.io.File.separatorChar, '.')))
          .filter(c -> !Modifier.isAbstract(c.getModifiers()))
          .toList();
      found = tests.size();
      missing = tests.stream().filter(c -> !c.isAnnotationPresent(Fast.class))
          .map(Class::getName).toList();
    }

    assertTrue(found > 20, "found the test classes (" + found + ") under " + root);
    assertEquals(List.of(), missing, "test classes without @Fast");
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name);
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }
}
