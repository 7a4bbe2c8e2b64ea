package dev.livestate.server.guard;

import dev.livestate.access.Permit;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Who a client is for the limits: its token's subject, else its remote address, with IPv6
 * addresses counted by their /64 prefix, the block one subscriber usually holds whole (counting
 * single IPv6 addresses would give every host 2^64 allowances). The address is the one {@link
 * dev.livestate.server.http.ClientAddresses} decided: the TCP peer's, or behind a trusted proxy
 * the client's it forwarded.
 */
public final class ClientAddress {
  private ClientAddress() {}

  /** The key an address counts under: an IPv4 address as it is, an IPv6 address's /64. */
  public static String keyOf(String address) {
    if (address == null || address.indexOf(':') < 0) {
      return String.valueOf(address);
    }
    try {
      byte[] b = InetAddress.getByName(address).getAddress();
      if (b.length == 4) {
        return InetAddress.getByAddress(b).getHostAddress(); // an IPv4-mapped IPv6 address
      }
      StringBuilder prefix = new StringBuilder();
      for (int i = 0; i < 8; i += 2) {
        prefix.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff))).append(':');
      }
      return prefix.append(":/64").toString();
    } catch (UnknownHostException | SecurityException e) {
      return address;
    }
  }

  /**
   * The client a limit counts: {@code client <subject>} for a token's permit, else
   * {@code address <key>} for the remote {@code address} (an open permit names no one).
   */
  public static String clientOf(Permit permit, String address) {
    return permit.trusting() || permit.subject() == null ? "address " + keyOf(address)
        : "client " + permit.subject();
  }
}
