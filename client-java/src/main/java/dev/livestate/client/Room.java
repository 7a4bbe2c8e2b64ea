package dev.livestate.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.op.Json;
import dev.livestate.op.Proposal;
import dev.livestate.protocol.Request;
import dev.livestate.room.Position;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One room as this client sees it, from {@link LivestateClient#room}. Reads answer the local
 * state: the room's state with this client's pending changes applied. Writes apply at once,
 * queue in order while offline, and their futures complete on the room's answer: the seq on an
 * ack, a {@link RejectedException} on a refusal (the keys then roll back to what the room holds).
 * Listeners and futures run on the client's thread: do not block in them. Each {@code on…}
 * method returns a {@code Runnable} that removes its listener.
 */
public final class Room {
  /** The most changes sent in one submit. */
  private static final int CHANGES_PER_SUBMIT = 1000;

  private final LivestateClient client;
  private final String name;
  private final RoomOptions options;
  private final LocalState state;
  private final RoomSession session;
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  final Listeners<ChangeEvent> changes = new Listeners<>();
  final Listeners<Conflict> conflicts = new Listeners<>();
  final Listeners<Map<String, JsonNode>> presenceListeners = new Listeners<>();
  final Listeners<String> leaderListeners = new Listeners<>();
  final Listeners<Message> messages = new Listeners<>();
  /** The highest localSeq of ours this room answered. */
  private long answeredThrough;

  Room(LivestateClient client, String name, RoomOptions options, LocalState state) {
    this.client = client;
    this.name = name;
    this.options = options;
    this.state = state;
    this.session = new RoomSession(client, this, state);
  }

  public String name() {
    return name;
  }

  /** Completes when the first snapshot or catch-up is applied; fails if the join is refused. */
  public CompletableFuture<Void> ready() {
    return ready;
  }

  /** The key's value as this client sees it, or null when it has none. */
  public JsonNode get(String key) {
    return client.onLane(() -> state.get(key));
  }

  /** Every key's value as this client sees it, in the room's order. */
  public Map<String, JsonNode> state() {
    return client.onLane(() -> Collections.unmodifiableMap(state.view()));
  }

  /** The last seq of the room this client has applied. */
  public long seq() {
    return client.onLane(state::seq);
  }

  /** How many of this client's changes the room has not answered yet. */
  public int pendingCount() {
    return client.onLane(() -> (int) state.pending().stream().filter(p -> p.seq == 0).count());
  }

  /** Sets {@code key} to {@code value} (anything Jackson maps to JSON; null deletes the key). */
  public CompletableFuture<Long> set(String key, Object value) {
    Map<String, Object> one = new LinkedHashMap<>();
    one.put(key, value);
    return batch(one);
  }

  public CompletableFuture<Long> delete(String key) {
    return set(key, null);
  }

  /** Sets (or, with null, deletes) every key of {@code values} at once, as one change. */
  public CompletableFuture<Long> batch(Map<String, ?> values) {
    return write(values, false);
  }

  /** Clears the room's state, then sets {@code values}, as one change. */
  public CompletableFuture<Long> reset(Map<String, ?> values) {
    return write(values, true);
  }

  private CompletableFuture<Long> write(Map<String, ?> values, boolean reset) {
    Map<String, JsonNode> nodes = new LinkedHashMap<>();
    values.forEach((k, v) -> {
      JsonNode node = v == null ? null : client.json().valueToTree(v);
      // a request's null deletes (docs/protocol.md), so the local state deletes it too
      nodes.put(k, node == null || node.isNull() ? null : node);
    });
    Edit edit = new Edit(nodes, reset);
    return client.onLane(() -> {
      Pending p = new Pending(client.nextLocalSeq(), state.seq(), edit, new CompletableFuture<>());
      emit(state.add(p));
      client.saveNow();
      flush();
      return p.result;
    });
  }

  /** Sets this client's presence record in the room (kept and sent again after a reconnect). */
  public CompletableFuture<Void> setPresence(Object data) {
    return session.setPresence(client.json().valueToTree(data));
  }

  /** Who is in the room: client id → presence record. */
  public Map<String, JsonNode> presence() {
    return client.onLane(session::presence);
  }

  /** The client leading the room, or null. */
  public String leader() {
    return client.onLane(session::leader);
  }

  /** Claims the room's leadership: true when granted. */
  public CompletableFuture<Boolean> lead() {
    return ask(id -> new Request.Lead(id, name), reply -> reply.path("granted").asBoolean());
  }

  /** Gives the leadership up: true when this client held it. */
  public CompletableFuture<Boolean> unlead() {
    return ask(id -> new Request.Unlead(id, name), reply -> reply.path("released").asBoolean());
  }

  /** Publishes a message to the room's stream. */
  public CompletableFuture<Message> publish(Object body) {
    JsonNode node = client.json().valueToTree(body);
    return ask(id -> new Request.Publish(id, name, new Json(node.toString()), null),
        reply -> new Message(reply.path("messageId").asLong(), reply.path("time").asLong(), node));
  }

  /** The stream's messages from {@code from} to {@code to} (epoch milliseconds). */
  public CompletableFuture<List<Message>> history(long from, long to) {
    return ask(id -> new Request.History(id, name, from, to), reply -> {
      List<Message> list = new ArrayList<>();
      reply.path("messages").forEach(m -> list.add(RoomSession.message(m)));
      return list;
    });
  }

  public Runnable onChange(Consumer<ChangeEvent> listener) {
    return changes.add(listener);
  }

  public Runnable onConflict(Consumer<Conflict> listener) {
    return conflicts.add(listener);
  }

  /** Hears the whole presence map each time someone's record changes. */
  public Runnable onPresence(Consumer<Map<String, JsonNode>> listener) {
    return presenceListeners.add(listener);
  }

  /** Hears the new leader's id (null: nobody leads). */
  public Runnable onLeader(Consumer<String> listener) {
    return leaderListeners.add(listener);
  }

  public Runnable onMessage(Consumer<Message> listener) {
    return messages.add(listener);
  }

  /** A request answered by one reply; fails at once while this room is not joined. */
  private <T> CompletableFuture<T> ask(Function<Object, Request> request,
      Function<JsonNode, T> answer) {
    return client.onLane(() -> session.ask(request, answer));
  }

  RoomOptions options() {
    return options;
  }

  RoomSession session() {
    return session;
  }

  LocalState localState() {
    return state;
  }

  void emit(List<ChangeEvent> events) {
    events.forEach(changes::emit);
  }

  void answered(long localSeq) {
    answeredThrough = Math.max(answeredThrough, localSeq);
  }

  /** Where a join after a reconnect resumes from, or null for a snapshot. */
  Position since() {
    return state.epoch() == null ? null : new Position(state.epoch(), state.seq());
  }

  /** Sends the pending changes not yet sent on this connection, in order. On the lane. */
  void flush() {
    if (!session.joined()) {
      return;
    }
    List<Pending> unsent = state.pending().stream().filter(p -> !p.sent && p.seq == 0).toList();
    for (int from = 0; from < unsent.size(); from += CHANGES_PER_SUBMIT) {
      List<Pending> batch =
          unsent.subList(from, Math.min(unsent.size(), from + CHANGES_PER_SUBMIT));
      List<Proposal> proposals = new ArrayList<>();
      for (Pending p : batch) {
        p.sent = true;
        proposals.add(new Proposal(p.localSeq, p.baseSeq, p.edit.toChange()));
      }
      long seenThrough = seenThrough();
      client.send(id -> new Request.Submit(id, name, proposals, seenThrough),
          reply -> session.onResult(reply, batch));
    }
  }

  /**
   * What the room may forget of this client's decisions: everything below its oldest pending
   * change, which a resend may still ask about.
   */
  private long seenThrough() {
    long through = state.pending().stream().mapToLong(p -> p.localSeq - 1).min()
        .orElse(answeredThrough);
    return through > 0 ? through : dev.livestate.room.Room.NOTHING_CONFIRMED;
  }
}
