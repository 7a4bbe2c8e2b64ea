package dev.livestate.server.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.livestate.access.Grant;
import dev.livestate.access.Permit;
import dev.livestate.room.Role;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressTest {

  @Test
  void ipv6AddressesCountByTheirSlash64() {
    assertEquals(ClientAddress.keyOf("2001:db8:0:1:0:0:0:1"),
        ClientAddress.keyOf("2001:db8:0:1:ffff:1234:5678:9abc"));
    assertNotEquals(ClientAddress.keyOf("2001:db8:0:1::1"), ClientAddress.keyOf("2001:db8:0:2::1"));
    assertEquals("2001:db8:0:1::/64", ClientAddress.keyOf("2001:db8:0:1::1"));
    assertEquals("192.0.2.7", ClientAddress.keyOf("192.0.2.7"));
    assertEquals("192.0.2.7", ClientAddress.keyOf("::ffff:192.0.2.7"));
  }

  @Test
  void aTokenHolderIsItsSubjectWhereverItComesFromAndAnyoneElseItsAddress() {
    Permit token = Permit.of("ann", false, List.of(new Grant("*", Role.WRITER, 0)), Long.MAX_VALUE);
    assertEquals("client ann", ClientAddress.clientOf(token, "192.0.2.7"));
    assertEquals("client ann", ClientAddress.clientOf(token, "192.0.2.8"));
    assertEquals("address 192.0.2.7", ClientAddress.clientOf(Permit.open(), "192.0.2.7"));
    assertEquals("address 2001:db8:0:1::/64",
        ClientAddress.clientOf(Permit.open(), "2001:db8:0:1::9"));
  }
}
