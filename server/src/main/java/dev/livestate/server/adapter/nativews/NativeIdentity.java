package dev.livestate.server.adapter.nativews;

import dev.livestate.access.Permit;
import dev.livestate.protocol.CloseReason;
import dev.livestate.protocol.ErrorCode;
import dev.livestate.protocol.Request;
import dev.livestate.protocol.ServerMessages;
import dev.livestate.server.auth.ClientIds;
import dev.livestate.server.auth.InvalidToken;
import dev.livestate.server.http.Connection;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Who one native connection is: its client id and its permit, from {@code hello} (and
 * {@code refresh}); and the timer that closes the connection when its token expires. Confined
 * to the connection's event loop.
 */
final class NativeIdentity {
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Ids the server gives connections that name none; no client may claim one. */
  static final String ASSIGNED = "c-";

  private final NativeDoor door;
  private final Connection connection;
  private String clientId;
  /** Null until hello in token mode: every request but hello is then refused. */
  private Permit permit;
  private boolean greeted;
  private long expiry = -1;

  NativeIdentity(NativeDoor door, Connection connection) {
    this.door = door;
    this.connection = connection;
    byte[] b = new byte[9];
    RANDOM.nextBytes(b);
    this.clientId = ASSIGNED + HexFormat.of().formatHex(b);
    this.permit = door.gate().tokens() ? null : Permit.open();
  }

  String clientId() {
    return clientId;
  }

  /** The connection's permit for a request other than hello. */
  Permit permit() {
    if (permit == null) {
      throw ErrorCode.UNAUTHORIZED.with("send hello with a token first");
    }
    greeted = true;
    return permit;
  }

  /** The permit a join brings its own token for (a subscription token), for the same client. */
  Permit permitFor(String joinToken) {
    Permit p = verify(joinToken);
    if (!p.trusting() && !p.subject().equals(clientId)) {
      throw ErrorCode.FORBIDDEN.with("the join's token is for another client");
    }
    return p;
  }

  /** Answers hello; returns the welcome. */
  byte[] hello(Request.Hello h) {
    if (greeted) {
      throw ErrorCode.BAD_REQUEST.with("hello must be the first request");
    }
    Permit p = verify(h.token());
    String resume = null;
    String id = h.clientId();
    if (id != null && id.isEmpty()) {
      throw ErrorCode.BAD_REQUEST.with("'clientId' must not be empty");
    }
    if (!p.trusting()) {
      if (id != null && !id.equals(p.subject())) {
        throw ErrorCode.UNAUTHORIZED.with("clientId must be the token's subject");
      }
      id = p.subject();
    } else if (id != null) {
      if (id.startsWith(ASSIGNED)) {
        throw ErrorCode.BAD_REQUEST.with(
            "client ids starting with '" + ASSIGNED + "' are given by the server");
      }
      ClientIds.Claim claim = door.clientIds().claim(id, h.resume());
      if (claim instanceof ClientIds.Claim.Refused r) {
        throw ErrorCode.UNAUTHORIZED.with(r.reason());
      }
      if (claim instanceof ClientIds.Claim.Issued issued) {
        resume = issued.resume();
      }
    }
    if (id != null) {
      clientId = id;
    }
    permit = p;
    greeted = true;
    armExpiry();
    return ServerMessages.welcome(h.id(), clientId, resume, p.expiresAt());
  }

  /** Answers refresh: the connection holds the fresh token's permit from now on. */
  byte[] refresh(Request.Refresh r) {
    if (!door.gate().tokens()) {
      throw ErrorCode.BAD_REQUEST.with("this server runs open: there is no token to refresh");
    }
    if (permit == null) {
      throw ErrorCode.UNAUTHORIZED.with("send hello with a token first");
    }
    Permit p = verify(r.token());
    if (!p.subject().equals(clientId)) {
      throw ErrorCode.UNAUTHORIZED.with("a refreshed token must name the same subject");
    }
    permit = p;
    armExpiry();
    return ServerMessages.refreshed(r.id(), p.expiresAt());
  }

  /** The connection is gone: no timer may fire for it. */
  void close() {
    if (expiry >= 0) {
      door.vertx().cancelTimer(expiry);
      expiry = -1;
    }
  }

  private Permit verify(String token) {
    try {
      return door.gate().permit(token);
    } catch (InvalidToken e) {
      throw ErrorCode.UNAUTHORIZED.with(e.getMessage());
    }
  }

  private void armExpiry() {
    close();
    long delay = permit.millisLeft(door.engine().clock().millis());
    if (delay < 0) {
      return;
    }
    expiry = door.vertx().setTimer(delay, t -> {
      expiry = -1;
      connection.close(CloseReason.TOKEN_EXPIRED, "token expired: connect again with a fresh one");
    });
  }
}
