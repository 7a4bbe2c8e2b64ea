package dev.livestate.server.adapter.nativews;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.conflict.ConflictPolicy;
import dev.livestate.op.Change;
import dev.livestate.op.Json;
import dev.livestate.op.Proposal;
import dev.livestate.protocol.Request;
import dev.livestate.protocol.RequestCodec;
import dev.livestate.room.Position;
import dev.livestate.room.Role;
import dev.livestate.room.RoomConfig;
import dev.livestate.server.http.JsonMapper;
import dev.livestate.server.http.Limits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * docs/protocol.md stays true: every request it shows decodes, with the real codec, to exactly
 * what the text says, and every request type the codec knows is shown. ProtocolDocReplayTest
 * sends these requests to a real server and holds its answers against the shown replies.
 */
class ProtocolDocTest {
  private static final ObjectMapper JSON = JsonMapper.create(new Limits(1 << 20, 64, 1 << 20, 10, 0));

  /** One example of the spec: its JSON, and whether the spec elided part of it with "...". */
  record Example(String json, boolean partial) {}

  /**
   * The JSON after every {@code arrow} ("→" request, "←" reply or event) in the spec, in order,
   * taken until its braces balance even across lines. {@code {...}} stands for any object and
   * {@code ,...} for fields left out.
   */
  static List<Example> examples(String arrow) throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "protocol.md"));
    List<Example> examples = new ArrayList<>();
    for (int at = doc.indexOf(arrow + " {"); at >= 0; at = doc.indexOf(arrow + " {", at + 1)) {
      int start = at + arrow.length() + 1;
      String raw = doc.substring(start, closing(doc, start) + 1).replaceAll("\\s*\\n\\s*", " ");
      boolean partial = raw.contains(",...");
      examples.add(new Example(raw.replace("{...}", "{}").replace(",...", ""), partial));
    }
    return examples;
  }

  static List<String> requestExamples() throws Exception {
    return examples("→").stream().map(Example::json).toList();
  }

  private static Json json(String text) {
    return new Json(text);
  }

  private static Map<String, Json> values(Object... keyValue) {
    Map<String, Json> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValue.length; i += 2) {
      m.put((String) keyValue[i], keyValue[i + 1] == null ? null : json((String) keyValue[i + 1]));
    }
    return m;
  }

  @Test
  void everyRequestExampleDecodesToWhatItSays() throws Exception {
    RoomConfig demo = RoomConfig.DEFAULT.withPolicy(ConflictPolicy.PRIORITY).withDurable(true)
        .withRetention(10_000, Duration.ZERO);
    List<Request> expected = List.of(
        new Request.Hello(1L, "alice", null, null),
        new Request.Hello(13L, null, "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl", null),
        new Request.Refresh(14L, "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.bmV3ZXI"),
        new Request.Join(2L, "demo", Role.WRITER, 5, null, demo, null),
        new Request.Join(7L, "demo", null, null, new Position("9c1f0e6a3b7d2e45", 10), null, null),
        new Request.Submit(3L, "demo", List.of(
            new Proposal(1, 0,
                new Change.Put(values("title", "\"Hello\"", "draft", null, "old", null))),
            new Proposal(2, 0, new Change.Reset(values("title", "\"Fresh start\""))))),
        new Request.Submit(15L, "demo", List.of(
            new Proposal(1, 0, new Change.Put(values("title", "\"Hello again\"")))), 2),
        new Request.Lead(5L, "demo"),
        new Request.Unlead(6L, "demo"),
        new Request.SetPresence(8L, "demo", json("{\"name\":\"Alice\",\"cursor\":[3,4]}")),
        new Request.Publish(9L, "demo", json("{\"level\":\"info\",\"text\":\"slewing\"}"),
            1_700_000_000_000L),
        new Request.History(10L, "demo", 1_690_000_000_000L, 1_800_000_000_000L),
        new Request.Leave(11L, "demo"),
        new Request.Ping(12L),
        new Request.Join(16L, "atlas", null, null, null, null, null));
    RequestCodec codec = new RequestCodec(JSON);
    List<Request> decoded = new ArrayList<>();
    for (String example : requestExamples()) {
      decoded.add(codec.decode(example));
    }
    assertEquals(expected.size(), decoded.size(), "examples in docs/protocol.md: " + requestExamples());
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i), decoded.get(i), requestExamples().get(i));
    }
    Change.Put put = (Change.Put) ((Request.Submit) decoded.get(5)).changes().get(0).change();
    assertTrue(put.values().containsKey("draft") && put.values().get("draft") == null,
        "in a request, set with null deletes the key");
    assertTrue(put.values().containsKey("old") && put.values().get("old") == null);
  }

  @Test
  void everyReplyExampleIsJson() throws Exception {
    List<Example> replies = examples("←");
    assertTrue(replies.size() >= 15, "found only " + replies.size() + " replies");
    for (Example e : replies) {
      assertTrue(JSON.readTree(e.json()).has("type"), e.json());
    }
  }

  @Test
  void everyRequestTypeIsShownInTheSpec() throws Exception {
    Set<String> shown = new HashSet<>();
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

  /** Where the bracket opening at {@code from} closes. */
  private static int closing(CharSequence s, int from) {
    int d = 0;
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '{' || c == '[') {
        d++;
      } else if ((c == '}' || c == ']') && --d == 0) {
        return i;
      }
    }
    throw new AssertionError("unbalanced example at " + from);
  }
}
