package dev.livestate.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.op.Json;
import dev.livestate.protocol.Request;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A room's side of the conversation on the current connection: the join and its catch-up (in
 * parts for a large room), the room's events, the answers to submits, presence and leadership.
 * Lane-confined.
 */
final class RoomSession {
  /** Codes after which a refused request is worth sending again later. */
  private static final List<String> TRANSIENT = List.of("rate_limited", "room_failed");
  private static final long RETRY_MILLIS = 1000;

  private final LivestateClient client;
  private final Room room;
  private final LocalState state;
  private boolean joined;
  /** The join is answered (joined or refused) on this connection. */
  private boolean settled;
  /** A catch-up coming in parts: its position and what came so far. */
  private String joinEpoch;
  private long joinHead;
  private Map<String, JsonNode> snapshotParts;
  private List<JsonNode> opsParts;
  /** After a resubmit: once every held change is answered, join again for a snapshot. */
  private boolean snapshotAfterResubmit;
  /** The next join asks for a snapshot, not the ops since this client's position. */
  private boolean needsSnapshot;
  private Map<String, JsonNode> presence = new LinkedHashMap<>();
  private JsonNode ownPresence;
  private String leader;

  RoomSession(LivestateClient client, Room room, LocalState state) {
    this.client = client;
    this.room = room;
    this.state = state;
  }

  boolean joined() {
    return joined;
  }

  boolean settled() {
    return settled;
  }

  Map<String, JsonNode> presence() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(presence));
  }

  String leader() {
    return leader;
  }

  /** The connection is gone: every change goes again on the next one. */
  void disconnected() {
    joined = false;
    settled = false;
    snapshotParts = null;
    opsParts = null;
    state.pending().forEach(p -> p.sent = false);
  }

  /** Joins on the current connection, resuming from the last position this client saw. */
  void join() {
    RoomOptions o = room.options();
    client.send(id -> new Request.Join(id, room.name(), o.role(), o.priority(),
        needsSnapshot ? null : room.since(), o.create(), o.token()), this::onJoined);
  }

  private void onJoined(JsonNode reply) {
    if (isError(reply)) {
      String code = reply.path("code").asText();
      if (TRANSIENT.contains(code)) {
        client.later(this::join, RETRY_MILLIS);
      } else if (!"offline".equals(code)) {
        settled = true;
        room.ready().completeExceptionally(refusal(reply));
        client.roomSettled();
      }
      return;
    }
    leader = textOrNull(reply.get("leader"));
    presence = new LinkedHashMap<>(values(reply.get("presence")));
    joinEpoch = reply.path("epoch").asText();
    joinHead = reply.path("seq").asLong();
    if (reply.path("resubmit").asBoolean()) {
      resubmit();
      return;
    }
    if (reply.has("snapshot")) {
      snapshotParts = new LinkedHashMap<>(values(reply.get("snapshot")));
    } else {
      opsParts = new ArrayList<>();
      reply.path("ops").forEach(opsParts::add);
    }
    if (!reply.path("more").asBoolean()) {
      caughtUp();
    }
  }

  /** The catch-up is whole: apply it, then send what waits. */
  private void caughtUp() {
    if (snapshotParts != null) {
      room.emit(state.snapshot(joinEpoch, joinHead, snapshotParts));
      needsSnapshot = false;
    } else {
      opsParts.forEach(this::applyOp);
    }
    snapshotParts = null;
    opsParts = null;
    online();
  }

  private void online() {
    joined = true;
    settled = true;
    room.flush();
    if (ownPresence != null) {
      sendPresence(ownPresence);
    }
    room.ready().complete(null);
    client.saveSoon();
    client.roomSettled();
  }

  /**
   * The room never issued the position this client reported: the server lost state. Everything
   * this client holds is decided again: what it had confirmed, then its pending changes.
   */
  private void resubmit() {
    Pending held = new Pending(client.nextLocalSeq(), joinHead,
        new Edit(state.confirmed(), false), new CompletableFuture<>());
    state.restart(joinEpoch, joinHead, held);
    client.saveNow();
    snapshotAfterResubmit = true;
    online();
    snapshotWhenAnswered();
  }

  private void snapshotWhenAnswered() {
    if (snapshotAfterResubmit && state.pending().isEmpty()) {
      snapshotAfterResubmit = false;
      needsSnapshot = true;
      joined = false;
      client.send(id -> new Request.Leave(id, room.name()), left -> {
        if (!isError(left)) {
          join();
        }
      });
    }
  }

  /** An event of this room (no reply to a request). */
  void onEvent(JsonNode event) {
    switch (event.path("type").asText()) {
      case "snapshot-part" -> {
        snapshotParts.putAll(values(event.get("snapshot")));
        if (!event.path("more").asBoolean()) {
          caughtUp();
        }
      }
      case "ops" -> {
        if (opsParts != null) {
          event.path("ops").forEach(opsParts::add);
          if (!event.path("more").asBoolean()) {
            caughtUp();
          }
        } else {
          event.path("ops").forEach(this::applyOp);
          client.saveSoon();
        }
      }
      case "presence" -> {
        String who = event.path("clientId").asText();
        JsonNode data = event.get("data");
        if (data == null || data.isNull()) {
          presence.remove(who);
        } else {
          presence.put(who, data);
        }
        room.presenceListeners.emit(presence());
      }
      case "leader" -> {
        leader = textOrNull(event.get("leader"));
        room.leaderListeners.emit(leader);
      }
      case "message" -> room.messages.emit(message(event.get("message")));
      case "error" -> {
        // the room closed under us (its store failed): join again once it can take us
        disconnected();
        client.later(this::join, RETRY_MILLIS);
      }
      default -> { }
    }
  }

  private void applyOp(JsonNode op) {
    Map<String, JsonNode> values = new LinkedHashMap<>();
    boolean reset = op.has("reset");
    values.putAll(values(reset ? op.get("reset") : op.get("set")));
    op.path("delete").forEach(key -> values.put(key.asText(), null));
    room.emit(state.op(op.path("seq").asLong(), new Edit(values, reset)));
  }

  /** The room's answer to a submit of {@code batch}. */
  void onResult(JsonNode reply, List<Pending> batch) {
    if (isError(reply)) {
      submitFailed(reply, batch);
      return;
    }
    Map<Long, Pending> byLocalSeq = new HashMap<>();
    batch.forEach(p -> byLocalSeq.put(p.localSeq, p));
    for (JsonNode ack : reply.path("acks")) {
      Pending p = byLocalSeq.get(ack.path("localSeq").asLong());
      if (p != null && p.seq == 0 && state.pending().contains(p)) {
        long seq = ack.path("seq").asLong();
        room.emit(state.acked(p, seq));
        room.answered(p.localSeq);
        p.result.complete(seq);
      }
    }
    for (JsonNode reject : reply.path("rejects")) {
      Pending p = byLocalSeq.get(reject.path("localSeq").asLong());
      if (p != null && state.pending().contains(p)) {
        refused(p, refusal(reject));
      }
    }
    client.saveSoon();
    snapshotWhenAnswered();
  }

  private void refused(Pending p, RejectedException why) {
    room.emit(state.rejected(p));
    room.answered(p.localSeq);
    why.winners().forEach((key, winner) -> room.conflicts.emit(
        new Conflict(key, p.edit.values().get(key), winner.value())));
    p.result.completeExceptionally(why);
  }

  private void submitFailed(JsonNode error, List<Pending> batch) {
    String code = error.path("code").asText();
    if ("offline".equals(code)) {
      return;
    }
    if (TRANSIENT.contains(code) || "not_joined".equals(code)) {
      batch.forEach(p -> p.sent = false);
      client.later(room::flush, RETRY_MILLIS);
      return;
    }
    RejectedException why = refusal(error);
    batch.stream().filter(state.pending()::contains).forEach(p -> refused(p, why));
    client.saveSoon();
  }

  CompletableFuture<Void> setPresence(JsonNode data) {
    return client.onLane(() -> {
      ownPresence = data;
      presence.put(client.clientIdOnLane(), data);
      return joined ? sendPresence(data) : CompletableFuture.completedFuture(null);
    });
  }

  private CompletableFuture<Void> sendPresence(JsonNode data) {
    return ask(id -> new Request.SetPresence(id, room.name(), new Json(data.toString())),
        reply -> null);
  }

  <T> CompletableFuture<T> ask(Function<Object, Request> request, Function<JsonNode, T> answer) {
    CompletableFuture<T> result = new CompletableFuture<>();
    if (!joined) {
      result.completeExceptionally(new RejectedException("offline",
          "room " + room.name() + " is not joined on a live connection", Map.of()));
      return result;
    }
    client.send(request, reply -> {
      if (isError(reply)) {
        result.completeExceptionally(refusal(reply));
      } else {
        result.complete(answer.apply(reply));
      }
    });
    return result;
  }

  static Message message(JsonNode m) {
    return new Message(m.path("id").asLong(), m.path("time").asLong(), m.get("body"));
  }

  private static boolean isError(JsonNode reply) {
    return "error".equals(reply.path("type").asText());
  }

  private static RejectedException refusal(JsonNode r) {
    Map<String, RejectedException.Winner> winners = new LinkedHashMap<>();
    r.path("winners").fields().forEachRemaining(w -> winners.put(w.getKey(),
        new RejectedException.Winner(w.getValue().get("value"), w.getValue().path("seq").asLong(),
            w.getValue().path("writer").asText())));
    return new RejectedException(r.path("code").asText(), r.path("message").asText(), winners);
  }

  private static Map<String, JsonNode> values(JsonNode object) {
    Map<String, JsonNode> values = new LinkedHashMap<>();
    if (object != null) {
      object.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue()));
    }
    return values;
  }

  private static String textOrNull(JsonNode n) {
    return n == null || n.isNull() ? null : n.asText();
  }
}
