package dev.livestate.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.Test;

/** How a client's address is read from a trusted proxy's headers, and when it is not. */
class ClientAddressesTest {
  private static final ClientAddresses BEHIND_TWO =
      new ClientAddresses(TrustedProxies.parse("10.0.0.0/8, 2001:db8:ffff::/48"));

  private static RemoteClient from(ClientAddresses addresses, String peer, String... headers) {
    MultiMap map = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i + 1 < headers.length; i += 2) {
      map.add(headers[i], headers[i + 1]);
    }
    return addresses.decide(SocketAddress.inetSocketAddress(40000, peer), map);
  }

  private static String address(String peer, String... headers) {
    return from(BEHIND_TWO, peer, headers).address();
  }

  @Test
  void aTrustedProxysClientIsTheRightmostEntryThatIsNotATrustedProxy() {
    assertEquals("198.51.100.7", address("10.0.0.2", "X-Forwarded-For", "198.51.100.7"));
    assertEquals("198.51.100.7",
        address("10.0.0.2", "X-Forwarded-For", "203.0.113.9, 198.51.100.7, 10.1.2.3"),
        "the client wrote 203.0.113.9 itself; the inner proxy 10.1.2.3 is skipped");
    assertEquals("198.51.100.7", address("10.0.0.2",
        "X-Forwarded-For", "203.0.113.9", "X-Forwarded-For", "198.51.100.7"),
        "header lines are one list, in order");
    assertEquals("10.1.2.3", address("10.0.0.2", "X-Forwarded-For", "10.1.2.3"),
        "a request a proxy made itself");
  }

  @Test
  void theStandardForwardedHeaderIsReadToo() {
    assertEquals("198.51.100.7", address("10.0.0.2",
        "Forwarded", "for=203.0.113.9;proto=http, For=\"198.51.100.7:4711\";by=10.0.0.2"));
    assertEquals("2001:db8:cafe:0:0:0:0:17",
        address("10.0.0.2", "Forwarded", "for=\"[2001:db8:cafe::17]:4711\""));
    assertEquals("198.51.100.7", address("2001:db8:ffff:1::5",
        "X-Forwarded-For", "198.51.100.7", "Forwarded", "for=198.51.100.7"),
        "an IPv6 proxy; both headers naming the same client");
  }

  @Test
  void anythingButAnAddressOnTheWayMeansNothingForwardedIsBelieved() {
    assertEquals("10.0.0.2", address("10.0.0.2", "X-Forwarded-For", "nginx.internal"));
    assertEquals("10.0.0.2", address("10.0.0.2", "X-Forwarded-For", "198.51.100.7, "));
    assertEquals("10.0.0.2", address("10.0.0.2", "Forwarded", "for=unknown"));
    assertEquals("10.0.0.2", address("10.0.0.2", "Forwarded", "proto=https"));
    assertEquals("198.51.100.7", address("10.0.0.2", "X-Forwarded-For", "garbage, 198.51.100.7"),
        "left of the client is the client's own writing, never read");
    RemoteClient unbelieved = from(BEHIND_TWO, "10.0.0.2", "X-Forwarded-For", "example.org");
    assertFalse(unbelieved.forwarded());
  }

  @Test
  void twoHeadersNamingDifferentClientsAreNotBelieved() {
    // a proxy that keeps X-Forwarded-For passes on a Forwarded header as the client wrote it
    assertEquals("10.0.0.2", address("10.0.0.2",
        "X-Forwarded-For", "198.51.100.7", "Forwarded", "for=203.0.113.1"));
  }

  @Test
  void anUntrustedPeerIsItsOwnAddressWhateverItSends() {
    RemoteClient c = from(BEHIND_TWO, "192.0.2.5", "X-Forwarded-For", "198.51.100.7",
        "Forwarded", "for=198.51.100.7");
    assertEquals("192.0.2.5", c.address());
    assertFalse(c.forwarded());
    assertEquals("192.0.2.5:40000", c.toString());
    assertEquals("192.0.2.5", from(new ClientAddresses(TrustedProxies.NONE), "192.0.2.5",
        "X-Forwarded-For", "198.51.100.7").address());
  }

  @Test
  void logsShowTheClientAndTheProxy() {
    RemoteClient c = from(BEHIND_TWO, "10.0.0.2", "X-Forwarded-For", "198.51.100.7");
    assertTrue(c.forwarded());
    assertEquals("198.51.100.7 via 10.0.0.2:40000", c.toString());
  }

  @Test
  void theTrustedListTakesAddressesAndBlocksAndRefusesAnythingElse() {
    TrustedProxies t = TrustedProxies.parse(" 127.0.0.1 ,192.168.0.0/16,fd00::/8,::1");
    assertTrue(t.contains(TrustedProxies.bytesOf("127.0.0.1")));
    assertTrue(t.contains(TrustedProxies.bytesOf("::ffff:127.0.0.1")), "IPv4-mapped");
    assertTrue(t.contains(TrustedProxies.bytesOf("192.168.255.1")));
    assertFalse(t.contains(TrustedProxies.bytesOf("192.169.0.1")));
    assertTrue(t.contains(TrustedProxies.bytesOf("fdab::1")));
    assertFalse(t.contains(TrustedProxies.bytesOf("fe80::1")));
    assertTrue(t.contains(TrustedProxies.bytesOf("0:0:0:0:0:0:0:1")));
    assertTrue(TrustedProxies.parse("").isEmpty());
    assertTrue(TrustedProxies.parse("10.0.0.0/12").contains(TrustedProxies.bytesOf("10.15.0.1")));
    assertFalse(TrustedProxies.parse("10.0.0.0/12").contains(TrustedProxies.bytesOf("10.16.0.1")));
    assertEquals("'balancer' is not an IP address or CIDR block (host names are not accepted)",
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse("balancer"))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse("10.0.0.0/33"));
    assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse("10.0.0.0/x"));
    assertEquals("'10.0.0.1/8' has address bits set past its /8 prefix: write the block's first"
        + " address", assertThrows(IllegalArgumentException.class,
            () -> TrustedProxies.parse("10.0.0.1/8")).getMessage());
  }
}
