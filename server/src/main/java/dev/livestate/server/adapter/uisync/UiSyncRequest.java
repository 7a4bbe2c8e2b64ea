package dev.livestate.server.adapter.uisync;

import dev.livestate.access.Action;
import dev.livestate.op.Json;
import java.util.Map;

/** What a UI sync client asks for: one record per Socket.IO event it may emit. */
sealed interface UiSyncRequest {

  /** An event that reads or changes a site: what it asks of the site's room, by its name. */
  interface OnSite {
    String site();

    /** The event's name, for the error event refusing it. */
    String event();

    Action action();
  }

  /** {@code join_room {site}}: follow a site. */
  record JoinRoom(String site) implements UiSyncRequest, OnSite {
    @Override
    public String event() {
      return "join_room";
    }

    @Override
    public Action action() {
      return Action.READ;
    }
  }

  /** {@code leave_room {site}}: stop following a site. */
  record LeaveRoom(String site) implements UiSyncRequest {}

  /**
   * {@code new_leader} (a JSON string, or an object): lead a site, replacing its state.
   *
   * @param snapshot the full state to reset the site to, in its order; a JSON null is the value
   *     {@link Json#NULL}
   * @param leader the leader object as sent, relayed to followers
   * @param name the leader's display name
   * @param identity who the leader is across reconnects: {@code leader.id}, else its name
   * @param secret the leader secret presented in the payload, or null
   */
  record NewLeader(String site, Map<String, Json> snapshot, Json leader, String name,
      String identity, String secret) implements UiSyncRequest, OnSite {
    @Override
    public String event() {
      return "new_leader";
    }

    @Override
    public Action action() {
      return Action.LEAD;
    }
  }

  /** {@code remove_leader {site}}: stop leading a site. */
  record RemoveLeader(String site) implements UiSyncRequest, OnSite {
    @Override
    public String event() {
      return "remove_leader";
    }

    @Override
    public Action action() {
      return Action.LEAD;
    }
  }

  /**
   * {@code ui_change {site, mutation_name, new_val}}; a null or missing new_val is
   * {@link Json#NULL}.
   */
  record UiChange(String site, String key, Json value) implements UiSyncRequest, OnSite {
    @Override
    public String event() {
      return "ui_change";
    }

    @Override
    public Action action() {
      return Action.WRITE;
    }
  }

  /** {@code my_ping}: answered with {@code my_pong}. */
  record MyPing() implements UiSyncRequest {}

  /** An event this server does not know; ignored, like the original. */
  record Unknown(String event) implements UiSyncRequest {}

  /** A known event with a payload that cannot be served; answered with an {@code error} event. */
  record Invalid(String event, String site, UiSyncError error, String message)
      implements UiSyncRequest {}
}
