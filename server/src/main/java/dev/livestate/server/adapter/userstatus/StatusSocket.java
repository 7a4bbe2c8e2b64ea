package dev.livestate.server.adapter.userstatus;

import dev.livestate.protocol.CloseReason;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.access.Permit;
import dev.livestate.access.RateLimit;
import dev.livestate.engine.Broadcast;
import dev.livestate.engine.Origin;
import dev.livestate.engine.RoomClosed;
import dev.livestate.engine.RoomHandle;
import dev.livestate.engine.RoomEvent;
import dev.livestate.engine.Subscriber;
import dev.livestate.server.http.Connection;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.function.BiConsumer;

/**
 * One WebSocket subscriber of a site: receives the site's new messages, and may post messages
 * with {@code {"action":"newlog", ...}} as its permit and its allowance of posts let it. Its
 * presence record in the site's room is what {@code onlineusers} lists.
 */
final class StatusSocket implements Subscriber {
  private final String id;
  private final Origin.Client origin;
  private final RoomHandle room;
  private final Connection connection;
  private final ObjectMapper json;
  private final long maxBytes;
  private final BiConsumer<StatusMessage, StatusSocket> publish;
  private final Clock clock;
  private final Permit permit;
  /** Posts this socket may still make now ({@code limits.changes-per-second}). */
  private final RateLimit posts;

  StatusSocket(String id, RoomHandle room, Connection connection, ObjectMapper json, long maxBytes,
      Clock clock, BiConsumer<StatusMessage, StatusSocket> publish, Permit permit,
      RateLimit posts) {
    this.id = id;
    this.origin = new Origin.Client(id, connection.number());
    this.room = room;
    this.connection = connection;
    this.json = json;
    this.maxBytes = maxBytes;
    this.publish = publish;
    this.clock = clock;
    this.permit = permit;
    this.posts = posts;
  }

  Permit permit() {
    return permit;
  }

  RateLimit posts() {
    return posts;
  }

  String id() {
    return id;
  }

  RoomHandle room() {
    return room;
  }

  Connection transport() {
    return connection;
  }

  @Override
  public Origin.Client connection() {
    return origin;
  }

  @Override
  public void deliver(Broadcast broadcast) {
    if (connection.isClosed()) {
      room.leave(this); // joined after it closed: let go
    } else if (broadcast.event() instanceof RoomEvent.Published) {
      connection.send(broadcast.encoded(StatusCodec.PUSH));
    }
  }

  @Override
  public void closed(String roomName, RoomClosed reason) {
    connection.close(CloseReason.SERVER_ERROR, "site closed: " + reason.wireName());
  }

  /** A text frame from the client: only {@code newlog} is an action. */
  void onText(String text) {
    try {
      if (text.length() > maxBytes
          && text.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
        throw new StatusError(413, null, "message larger than " + maxBytes + " bytes");
      }
      JsonNode root;
      try {
        root = StatusCodec.wellFormed(json.readTree(text));
      } catch (JsonProcessingException e) {
        throw new StatusError(null, "not JSON: " + e.getOriginalMessage());
      }
      JsonNode action = root == null ? null : root.get("action");
      if (action == null || !action.isTextual()) {
        throw new StatusError("action", "missing field 'action' (the only action is newlog)");
      }
      if (!action.textValue().equals("newlog")) {
        throw new StatusError("action", "unrecognized action '" + action.textValue() + "'");
      }
      publish.accept(StatusCodec.newLog(root, clock.millis()), this);
    } catch (StatusError e) {
      send(e);
    }
  }

  void send(StatusError e) {
    connection.send(StatusCodec.error(e));
  }

  /** The socket closed: unsubscribe and drop the presence record. */
  void onClose() {
    connection.closed();
    room.leave(this);
    room.removePresence(id);
  }
}
