package dev.livestate.server.adapter.nativews;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.server.http.JsonMapper;
import dev.livestate.server.http.Limits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * docs/protocol.md stays true: every request it shows decodes with the real codec, and every
 * request type the codec knows is shown.
 */
class ProtocolDocTest {
  private static final ObjectMapper JSON = JsonMapper.create(new Limits(1 << 20, 64, 1 << 20, 10, 0));

  /** The JSON of every "→ {...}" example, joined across lines until its braces balance. */
  static List<String> requestExamples() throws Exception {
    List<String> lines = Files.readAllLines(Path.of("..", "docs", "protocol.md"));
    List<String> examples = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).trim();
      if (!line.startsWith("→ {")) {
        continue;
      }
      StringBuilder json = new StringBuilder(line.substring(2));
      while (closing(json) < 0 && i + 1 < lines.size()) {
        json.append(' ').append(lines.get(++i).trim());
      }
      examples.add(json.substring(0, closing(json) + 1));
    }
    return examples;
  }

  @Test
  void everyRequestExampleInTheSpecDecodes() throws Exception {
    NativeCodec codec = new NativeCodec(JSON);
    List<String> examples = requestExamples();
    assertTrue(examples.size() >= 10, "found only " + examples.size() + " examples");
    for (String example : examples) {
      assertDoesNotThrow(() -> codec.decode(example), example);
    }
  }

  @Test
  void everyRequestTypeIsShownInTheSpec() throws Exception {
    Set<String> shown = new java.util.HashSet<>();
    for (String example : requestExamples()) {
      shown.add(JSON.readTree(example).get("type").asText());
    }
    for (Class<?> type : Request.class.getPermittedSubclasses()) {
      String wire = switchName(type.getSimpleName());
      assertTrue(shown.contains(wire), "docs/protocol.md shows no '" + wire + "' request");
    }
  }

  private static String switchName(String record) {
    return record.equals("SetPresence") ? "presence" : record.toLowerCase();
  }

  /** Where the first bracket's match closes, or -1 while it is still open. */
  private static int closing(CharSequence s) {
    int d = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '{' || c == '[') {
        d++;
      } else if (c == '}' || c == ']') {
        if (--d == 0) {
          return i;
        }
      }
    }
    return -1;
  }
}
