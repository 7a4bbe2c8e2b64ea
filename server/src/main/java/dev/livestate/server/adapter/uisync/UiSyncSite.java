package dev.livestate.server.adapter.uisync;

import dev.livestate.engine.Engine;
import dev.livestate.engine.Reply;
import dev.livestate.engine.RoomEvent;
import dev.livestate.engine.RoomHandle;
import dev.livestate.op.Change;
import dev.livestate.op.Json;
import dev.livestate.op.Op;
import dev.livestate.room.RoomConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One UI sync site: the room {@code uisync:<site>}, the display info of whoever led it (the one
 * thing about a leader the engine does not hold), and what its followers are sent for each of
 * the room's events.
 *
 * <p>The latest leader's display info is also the room's private attribute {@link #LEADER},
 * written before its snapshot: a node of a cluster whose followers are relayed a leader that
 * connected elsewhere finds it there.
 */
final class UiSyncSite {
  static final String PREFIX = "uisync:";
  /** Private attribute: {socket, name, leader} of the site's latest leader. */
  static final String LEADER = "uisync.leader";

  /** What a client sent when it claimed a site: shown to followers and in leader lists. */
  record LeaderInfo(String name, Json leader) {}

  final String name;
  /** By socket id, as the engine names the leader: those that connected to this node. */
  final Map<String, LeaderInfo> leaders = new ConcurrentHashMap<>();
  /** One instance per site, so a broadcast is encoded once for all its followers. */
  final Function<RoomEvent, List<Outbound>> encoder = this::encode;
  private final Engine engine;
  private final RoomConfig config;
  private final UiSyncCodec codec;

  UiSyncSite(String name, Engine engine, RoomConfig config, UiSyncCodec codec) {
    this.name = name;
    this.engine = engine;
    this.config = config;
    this.codec = codec;
  }

  RoomHandle room() {
    return engine.open(PREFIX + name, config);
  }

  /**
   * Records leader {@code socketId}'s display info in the room, ahead of anything it then
   * writes there.
   */
  void recordLeader(RoomHandle room, String socketId) {
    LeaderInfo info = leaders.get(socketId);
    if (info != null) {
      room.putAttribute(LEADER, codec.leaderEntry(socketId, info), Reply.ignore());
    }
  }

  /** What leader {@code socketId} sent, from this node's clients or the room; or null. */
  private LeaderInfo info(String socketId) {
    if (socketId == null) {
      return null;
    }
    LeaderInfo info = leaders.get(socketId);
    if (info != null) {
      return info;
    }
    Json recorded = room().attribute(LEADER);
    Map.Entry<String, LeaderInfo> latest = recorded == null ? null : codec.readLeaderEntry(recorded);
    return latest != null && latest.getKey().equals(socketId) ? latest.getValue() : null;
  }

  /** The display name of the leader with this socket id (the id itself if it sent none). */
  String leaderName(String socketId) {
    LeaderInfo info = info(socketId);
    return info != null ? info.name() : socketId;
  }

  /** The leader object the socket sent with {@code new_leader}, or null. */
  Json leaderObject(String socketId) {
    LeaderInfo info = info(socketId);
    return info == null ? null : info.leader();
  }

  /**
   * A leader's reset is a {@code full_state_snapshot}, each other change a {@code new_state} per
   * key, and a site left without a leader a {@code no_more_leader}.
   */
  private List<Outbound> encode(RoomEvent event) {
    if (event instanceof RoomEvent.Relayed r) {
      List<Outbound> out = new ArrayList<>(r.ops().size());
      for (Op op : r.ops()) {
        Change c = op.change();
        if (c instanceof Change.Reset reset) {
          out.add(codec.fullStateSnapshot(reset.values(), leaderObject(op.writer())).shared());
        } else {
          c.values().forEach((k, v) -> out.add(codec.newState(k, v).shared()));
        }
      }
      return out;
    }
    if (event instanceof RoomEvent.LeaderChanged l && l.leader() == null && l.previous() != null) {
      return List.of(codec.noMoreLeader(name, leaderName(l.previous())).shared());
    }
    return List.of();
  }
}
