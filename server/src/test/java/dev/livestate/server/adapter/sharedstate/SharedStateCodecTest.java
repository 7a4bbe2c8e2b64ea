package dev.livestate.server.adapter.sharedstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.op.Change;
import dev.livestate.op.Json;
import dev.livestate.server.http.JsonMapper;
import dev.livestate.server.http.Limits;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The codec and messages without sockets. */
class SharedStateCodecTest {
  private final SharedStateCodec codec = new SharedStateCodec(
      JsonMapper.create(new Limits(1 << 20, 64, 1 << 20, 100, 0)), "items"::equals, 10_000);

  private SharedStateRequest decode(String text) throws Exception {
    return codec.decode(text);
  }

  private static String put(String path, String arg) {
    return "{\"type\":\"REQUEST\",\"cmd\":\"PUT\",\"path\":\"" + path + "\",\"arg\":" + arg
        + ",\"tunnel\":1}";
  }

  @Test
  void numbersInItemsKeepTheirValueAndPlainNotation() throws Exception {
    var u = (SharedStateRequest.Update) decode(put("/a/items/c",
        "{\"insert\":[{\"id\":\"t\",\"ts\":1795470736372.33,\"f\":0.1,\"n\":12,"
            + "\"big\":123456789012345678901234567890,\"s\":\"\\u00e6\"}]}"));
    String text = u.change().values().get("t").text();
    assertTrue(text.contains("\"ts\":1795470736372.33"), text);
    assertTrue(text.contains("\"f\":0.1"), text);
    assertTrue(text.contains("\"n\":12"), text);
    assertTrue(text.contains("\"big\":123456789012345678901234567890"), text);
  }

  @Test
  void removalComesBeforeInsertionAndIdsAreCountedOnce() throws Exception {
    var u = (SharedStateRequest.Update) decode(put("/a/items/c",
        "{\"remove\":[\"a\",\"b\",\"a\"],\"insert\":[{\"id\":\"b\",\"v\":1},{\"id\":\"c\"}]}"));
    assertInstanceOf(Change.Put.class, u.change());
    assertEquals(3, u.touched());
    assertNull(u.change().values().get("a"));
    assertEquals("{\"id\":\"b\",\"v\":1}", u.change().values().get("b").text());
  }

  @Test
  void resetIgnoresRemoveAndNoopHasNoChange() throws Exception {
    var r = (SharedStateRequest.Update) decode(put("/a/items/c",
        "{\"reset\":true,\"remove\":[\"x\"],\"insert\":[{\"id\":\"y\"}]}"));
    assertInstanceOf(Change.Reset.class, r.change());
    assertEquals(List.of("y"), List.copyOf(r.change().values().keySet()));
    var noop = (SharedStateRequest.Update) decode(put("/a/items/c", "{}"));
    assertNull(noop.change());
  }

  @Test
  void pathsAreNormalisedAlike() {
    assertEquals("/a/items/c", CollectionPath.parse("a//items/c/").path());
    assertEquals("/a/items/c", CollectionPath.parse("/resources/a/items/c").path());
    assertNull(CollectionPath.parse("/a/items"));
    assertNull(CollectionPath.parse("/a/items/c/d"));
  }

  @Test
  void invalidRequestsKeepTheirTunnel() {
    var e = assertThrows(SharedStateCodec.Invalid.class,
        () -> decode(put("/a/other/c", "{}")));
    assertEquals("1", e.tunnel);
    assertEquals("no service", e.getMessage());
    var big = assertThrows(SharedStateCodec.Invalid.class,
        () -> decode("{\"type\":\"REQUEST\",\"arg\":\"" + "x".repeat(20_000)
            + "\",\"tunnel\":\"t\"}"));
    assertEquals("\"t\"", big.tunnel);
    var bad = assertThrows(SharedStateCodec.Invalid.class, () -> decode("{oops"));
    assertNull(bad.tunnel);
    // a number the server itself refuses is not sent back as the tunnel (found by the fuzzer)
    var huge = assertThrows(SharedStateCodec.Invalid.class,
        () -> decode("{\"type\":\"REQUEST\",\"tunnel\":4E4444444444\":[}}"));
    assertNull(huge.tunnel);
    var large = assertThrows(SharedStateCodec.Invalid.class,
        () -> decode("{\"type\":\"REQUEST\",\"tunnel\":4E44\":[}}"));
    assertEquals("4E44", large.tunnel);
  }

  @Test
  void notificationAlwaysCarriesRemoveInsertAndReset() {
    Map<String, Json> values = new LinkedHashMap<>();
    values.put("gone", null);
    values.put("new", new Json("{\"id\":\"new\"}"));
    String n = new String(SharedStateMessages.notify("/a/items/c", new Change.Put(values), null),
        StandardCharsets.UTF_8);
    assertEquals("{\"type\":\"MESSAGE\",\"cmd\":\"NOTIFY\",\"path\":\"/a/items/c\",\"data\":"
        + "{\"remove\":[\"gone\"],\"insert\":[{\"id\":\"new\"}],\"reset\":false}}", n);
    String r = new String(SharedStateMessages.resetNotify("/a/items/c/", new ArrayList<>(
        Arrays.asList(new Json("{\"id\":\"x\"}"))), "7"), StandardCharsets.UTF_8);
    assertEquals("{\"type\":\"MESSAGE\",\"cmd\":\"NOTIFY\",\"path\":\"/a/items/c/\",\"data\":"
        + "{\"remove\":[],\"insert\":[{\"id\":\"x\"}],\"reset\":true},\"tunnel\":7}", r);
  }

  @Test
  void aRequestWithALoneSurrogateIsInvalidEchoingOnlyAWellFormedTunnel() {
    SharedStateCodec.Invalid item = assertThrows(SharedStateCodec.Invalid.class, () -> codec.decode(
        "{\"type\":\"REQUEST\",\"cmd\":\"PUT\",\"path\":\"/app/items/c\",\"arg\":"
            + "{\"insert\":[{\"id\":\"a\\ud800\"}]},\"tunnel\":\"t1\"}"));
    assertEquals("\"t1\"", item.tunnel);
    assertTrue(item.getMessage().contains("/arg/insert/0/id"), item.getMessage());
    SharedStateCodec.Invalid tunnel = assertThrows(SharedStateCodec.Invalid.class, () -> codec
        .decode("{\"type\":\"REQUEST\",\"cmd\":\"GET\",\"path\":\"/\",\"tunnel\":\"\\udc00\"}"));
    assertNull(tunnel.tunnel);
  }
}
