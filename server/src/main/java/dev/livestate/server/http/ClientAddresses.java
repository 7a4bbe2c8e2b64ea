package dev.livestate.server.http;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place that decides a client's address, for every limit, log and record that names
 * one. It is the TCP peer's address, unless the peer is a trusted proxy ({@code
 * net.trusted-proxies}): then it is the address the proxy forwarded in {@code X-Forwarded-For}
 * or {@code Forwarded: for=}.
 *
 * <p>Each proxy appends the address it got the request from, so only the right end of the list
 * is vouched for: the client is the rightmost entry that is not itself a trusted proxy, and
 * whatever the client wrote to the left of it is never read. An entry on the way there that is
 * not an IP address (garbage, {@code unknown}, an obfuscated name) means nothing forwarded is
 * believed, and so do the two headers naming different clients: a proxy that keeps one of them
 * passes the other on as the client sent it. Then the client has the proxy's address, which
 * only clients who send such headers share. Vert.x Web's own forwarded-header support is not
 * used: it believes any peer and takes the leftmost entry, which the client chose.
 *
 * <p>Immutable and thread-safe; nothing here looks a name up.
 */
public final class ClientAddresses {
  private static final String X_FORWARDED_FOR = "X-Forwarded-For";
  private static final String FORWARDED = "Forwarded";

  private final TrustedProxies trusted;

  public ClientAddresses(TrustedProxies trusted) {
    this.trusted = trusted;
  }

  /** The client of an HTTP request (a WebSocket upgrade included). */
  public RemoteClient of(HttpServerRequest request) {
    return decide(request.remoteAddress(), request.headers());
  }

  /** The client of a WebSocket, as its upgrade request showed it. */
  public RemoteClient of(ServerWebSocket socket) {
    return decide(socket.remoteAddress(), socket.headers());
  }

  /** Whether a connection from {@code peer} is a trusted proxy's (its requests may name others). */
  public boolean trusts(SocketAddress peer) {
    return !trusted.isEmpty() && peer != null
        && trusted.contains(TrustedProxies.bytesOf(peer.hostAddress()));
  }

  RemoteClient decide(SocketAddress peer, MultiMap headers) {
    String own = peer == null || peer.hostAddress() == null ? "unknown" : peer.hostAddress();
    String peerText = peer == null ? "unknown" : own + ":" + peer.port();
    if (!trusts(peer)) {
      return new RemoteClient(own, peerText, false);
    }
    String client = forwardedClient(headers.getAll(X_FORWARDED_FOR), headers.getAll(FORWARDED));
    return client == null ? new RemoteClient(own, peerText, false)
        : new RemoteClient(client, peerText, true);
  }

  /** The client the headers name, or null when they name none that is to be believed. */
  private String forwardedClient(List<String> xForwardedFor, List<String> forwarded) {
    if (xForwardedFor.isEmpty() && forwarded.isEmpty()) {
      return null;
    }
    String byX = xForwardedFor.isEmpty() ? null : clientIn(xForwardedForEntries(xForwardedFor));
    String byForwarded = forwarded.isEmpty() ? null : clientIn(forwardedEntries(forwarded));
    if (!xForwardedFor.isEmpty() && byX == null || !forwarded.isEmpty() && byForwarded == null) {
      return null;
    }
    if (byX != null && byForwarded != null && !byX.equals(byForwarded)) {
      return null;
    }
    return byX != null ? byX : byForwarded;
  }

  /**
   * The rightmost address of the chain that is not a trusted proxy; the leftmost when all are
   * (a request the proxy made itself); null when one on the way is not an address.
   */
  private String clientIn(List<String> chain) {
    for (int i = chain.size() - 1; i >= 0; i--) {
      byte[] address = addressOf(chain.get(i));
      if (address == null) {
        return null;
      }
      if (!trusted.contains(address) || i == 0) {
        return text(address);
      }
    }
    return null;
  }

  /** Each comma-separated entry of every {@code X-Forwarded-For} line, in order. */
  private static List<String> xForwardedForEntries(List<String> lines) {
    List<String> entries = new ArrayList<>();
    for (String line : lines) {
      for (String entry : line.split(",", -1)) {
        entries.add(entry);
      }
    }
    return entries;
  }

  /**
   * The {@code for=} value of each element of every {@code Forwarded} line (RFC 7239), in
   * order; an element without one is an empty entry (not an address).
   */
  private static List<String> forwardedEntries(List<String> lines) {
    List<String> entries = new ArrayList<>();
    for (String line : lines) {
      for (String element : splitOutsideQuotes(line, ',')) {
        String value = "";
        for (String pair : splitOutsideQuotes(element, ';')) {
          int eq = pair.indexOf('=');
          if (eq > 0 && pair.substring(0, eq).strip().equalsIgnoreCase("for")) {
            value = pair.substring(eq + 1);
          }
        }
        entries.add(value);
      }
    }
    return entries;
  }

  /** Splits at {@code separator}s that are not inside a quoted string. */
  private static List<String> splitOutsideQuotes(String text, char separator) {
    List<String> parts = new ArrayList<>();
    boolean quoted = false;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && quoted) {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == separator && !quoted) {
        parts.add(text.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(text.substring(start));
    return parts;
  }

  /**
   * The bytes of an entry's address: a bare IPv4 or IPv6 address, either with a port
   * ({@code 192.0.2.1:4711}, {@code [2001:db8::1]:4711}), maybe quoted; null for anything else.
   */
  static byte[] addressOf(String entry) {
    String s = entry.strip();
    if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
      s = s.substring(1, s.length() - 1);
    }
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0 || !(close == s.length() - 1 || s.charAt(close + 1) == ':')) {
        return null;
      }
      s = s.substring(1, close);
    } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
      s = s.substring(0, s.indexOf(':')); // IPv4 with a port
    }
    return TrustedProxies.bytesOf(s);
  }

  private static String text(byte[] address) {
    try {
      return InetAddress.getByAddress(address).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalStateException("an address of " + address.length + " bytes", e);
    }
  }

  /** The trusted proxies, for the start-up log. */
  @Override
  public String toString() {
    return trusted.toString();
  }
}
