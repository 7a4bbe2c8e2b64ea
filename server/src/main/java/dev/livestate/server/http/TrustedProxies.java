package dev.livestate.server.http;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The proxies whose word on a client's address is believed ({@code net.trusted-proxies}): IPv4
 * and IPv6 addresses and CIDR blocks. Only literal addresses are accepted, never host names: a
 * name would be looked up on every request, and its answer could change under the server.
 * Immutable and thread-safe.
 */
public final class TrustedProxies {
  /** Trusts no one: every client has its TCP peer's address. */
  public static final TrustedProxies NONE = new TrustedProxies(List.of());

  /** One block of addresses: the first {@code bits} bits of {@code network}. */
  private record Block(byte[] network, int bits, String text) {
    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int whole = bits / 8;
      for (int i = 0; i < whole; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = bits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (address[whole] & mask) == (network[whole] & mask);
    }
  }

  private final List<Block> blocks;

  private TrustedProxies(List<Block> blocks) {
    this.blocks = List.copyOf(blocks);
  }

  /**
   * Reads a comma-separated list such as {@code 10.0.0.0/8, 127.0.0.1, fd00::/8}; an empty list
   * trusts no one. Throws {@link IllegalArgumentException} saying which entry is wrong.
   */
  public static TrustedProxies parse(String list) {
    List<Block> blocks = new ArrayList<>();
    for (String entry : list.split(",")) {
      String text = entry.strip();
      if (!text.isEmpty()) {
        blocks.add(block(text));
      }
    }
    return blocks.isEmpty() ? NONE : new TrustedProxies(blocks);
  }

  private static Block block(String text) {
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    byte[] network = bytesOf(address);
    if (network == null) {
      throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR block"
          + " (host names are not accepted)");
    }
    int bits = network.length * 8;
    if (slash >= 0) {
      try {
        bits = Integer.parseInt(text.substring(slash + 1));
      } catch (NumberFormatException e) {
        bits = -1;
      }
      if (bits < 0 || bits > network.length * 8) {
        throw new IllegalArgumentException("'" + text + "' has no prefix length between 0 and "
            + network.length * 8);
      }
      if (hasHostBits(network, bits)) {
        throw new IllegalArgumentException("'" + text + "' has address bits set past its /"
            + bits + " prefix: write the block's first address");
      }
    }
    return new Block(network, bits, text);
  }

  private static boolean hasHostBits(byte[] network, int bits) {
    for (int bit = bits; bit < network.length * 8; bit++) {
      if ((network[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * The bytes of a literal IP address (4 for IPv4, an IPv4-mapped IPv6 address included, 16
   * for IPv6), or null when {@code text} is not one. Never looks a name up.
   */
  static byte[] bytesOf(String text) {
    if (text == null) {
      return null;
    }
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(text);
    if (bytes == null) {
      return null;
    }
    try {
      // an IPv4-mapped IPv6 address is the IPv4 address it maps
      return InetAddress.getByAddress(bytes).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** Whether no proxy is trusted. */
  public boolean isEmpty() {
    return blocks.isEmpty();
  }

  /** Whether the address ({@link #bytesOf its bytes}) is one of the trusted proxies. */
  boolean contains(byte[] address) {
    if (address == null) {
      return false;
    }
    for (Block b : blocks) {
      if (b.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** The list as it was given, for the start-up log. */
  @Override
  public String toString() {
    return String.join(", ", blocks.stream().map(Block::text).toList());
  }
}
