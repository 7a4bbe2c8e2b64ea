package dev.livestate.server.adapter.uisync;

import dev.livestate.access.Home;
import dev.livestate.engine.Engine;
import dev.livestate.engine.RoomHandle;
import dev.livestate.op.Change;
import dev.livestate.op.Proposal;
import dev.livestate.room.Leadership;
import dev.livestate.room.Role;
import dev.livestate.room.RoomConfig;
import dev.livestate.room.Takeover;
import dev.livestate.room.WriteAccess;
import dev.livestate.room.Writer;
import dev.livestate.server.http.ConnectedClients;
import dev.livestate.sync.CatchUp;
import dev.livestate.sync.Outcome;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The UI sync semantics on top of the engine. Each site is the room {@code uisync:<site>}: its
 * leader is the room's exclusive writer (engine leader id = Socket.IO socket id), a leader's full
 * snapshot is a {@link Change.Reset}, each {@code ui_change} a {@link Change.Put}. Followers are
 * the room's subscribers; what they are sent is encoded once per event per site. Only what the
 * engine cannot hold lives here: connected sessions, and each {@link UiSyncSite}'s leaders'
 * display objects.
 */
final class UiSyncHub {
  /** How the surface is configured. */
  record Options(Takeover takeover, Duration leaderGrace, Map<String, String> leaderSecrets) {}

  private final Engine engine;
  private final UiSyncCodec codec;
  private final Options options;
  private final UiSyncGuard guard;
  private final RoomConfig roomConfig;
  private final Map<String, UiSyncSession> sessions = new ConcurrentHashMap<>();
  private final Map<String, UiSyncSite> sites = new ConcurrentHashMap<>();

  UiSyncHub(Engine engine, UiSyncCodec codec, Options options, UiSyncGuard guard) {
    this.engine = engine;
    this.codec = codec;
    this.options = options;
    this.guard = guard;
    this.roomConfig = RoomConfig.DEFAULT
        .withWriteAccess(WriteAccess.LEADER_ONLY)
        .withTakeover(options.takeover());
  }

  private UiSyncSite site(String name) {
    return sites.computeIfAbsent(name, n -> new UiSyncSite(n, engine, roomConfig, codec));
  }

  // ---- connections ----

  /** The clients connected now: each by its Socket.IO id, with the sites' rooms it follows. */
  List<ConnectedClients.Client> clients() {
    return sessions.values().stream().map(s -> new ConnectedClients.Client(Home.UI_SYNC.label(),
        s.id(), s.address(), s.following.keySet().stream().sorted()
            .map(site -> site(site).room().name()).toList())).toList();
  }

  void connected(UiSyncSession session) {
    sessions.put(session.id(), session);
    engine.listener().connectionOpened(Home.UI_SYNC.label());
    session.send(codec.confirmConnect(leadersFor(session)));
  }

  /** Handles one decoded event; calls {@code done} once later events may proceed. */
  void handle(UiSyncSession s, UiSyncRequest request, Runnable done) {
    Outbound refused = guard.refusal(s, request);
    if (refused != null) {
      s.send(refused);
    } else if (request instanceof UiSyncRequest.JoinRoom r) {
      join(s, r.site());
    } else if (request instanceof UiSyncRequest.LeaveRoom r) {
      leave(s, r.site());
    } else if (request instanceof UiSyncRequest.NewLeader r) {
      newLeader(s, r, done);
      return;
    } else if (request instanceof UiSyncRequest.RemoveLeader r) {
      removeLeader(s, r.site());
    } else if (request instanceof UiSyncRequest.UiChange r) {
      uiChange(s, r);
    } else if (request instanceof UiSyncRequest.MyPing) {
      s.send(codec.pong());
    } else if (request instanceof UiSyncRequest.Invalid r) {
      s.send(codec.error(r.event(), r.site(), r.error(), r.message()));
    }
    done.run();
  }

  void disconnected(UiSyncSession s) {
    if (sessions.remove(s.id()) != null) {
      engine.listener().connectionClosed(Home.UI_SYNC.label(), "CLIENT");
    }
    for (String siteName : List.copyOf(s.following.keySet())) {
      UiSyncSession.Follower f = s.following.remove(siteName);
      if (f != null) {
        f.stop();
        site(siteName).room().leave(f);
      }
    }
    for (String siteName : List.copyOf(s.leading)) {
      s.leading.remove(siteName);
      // With a grace period the engine keeps the site for the leader on a lease: a reconnect
      // under the same identity takes it back unseen; otherwise the site is announced free.
      site(siteName).room().leaderLeft(s.id(), options.leaderGrace(), (lost, f) -> {
        if (Boolean.TRUE.equals(lost)) {
          announceLeaders(null);
        }
      });
    }
  }

  // ---- events ----

  private void join(UiSyncSession s, String siteName) {
    UiSyncSite site = site(siteName);
    RoomHandle room = site.room();
    UiSyncSession.Follower follower = new UiSyncSession.Follower(s, site.encoder);
    UiSyncSession.Follower old = s.following.put(siteName, follower);
    if (old != null) {
      old.stop();
      room.leave(old);
    }
    room.join(follower, null, (joined, failure) -> {
      if (failure != null) {
        s.send(codec.error("join_room", siteName, UiSyncError.UNAVAILABLE, failure.getMessage()));
        return;
      }
      if (joined.leader() != null && joined.catchUp() instanceof CatchUp.Snapshot snap) {
        s.send(codec.fullStateSnapshot(snap.values(), site.leaderObject(joined.leader())));
      }
      s.send(codec.confirmFollowerStart(siteName));
    });
  }

  private void leave(UiSyncSession s, String siteName) {
    UiSyncSession.Follower f = s.following.remove(siteName);
    if (f != null) {
      f.stop();
      site(siteName).room().leave(f);
    }
    s.send(codec.confirmFollowerEnd(siteName));
  }

  private void newLeader(UiSyncSession s, UiSyncRequest.NewLeader r, Runnable done) {
    UiSyncSite site = site(r.site());
    if (!authorized(r.site(), r.secret() != null ? r.secret() : s.connectSecret())) {
      s.send(codec.error("new_leader", r.site(), UiSyncError.UNAUTHORIZED,
          "a valid leader secret is required to lead this site"));
      done.run();
      return;
    }
    RoomHandle room = site.room();
    site.leaders.put(s.id(), new UiSyncSite.LeaderInfo(r.name(), r.leader()));
    room.claimLeader(s.id(), r.identity(), (leadership, failure) -> {
      if (failure != null || leadership instanceof Leadership.Refused) {
        if (leadership instanceof Leadership.Refused) {
          site.leaders.remove(s.id());
        }
        String msg = failure != null ? failure.getMessage()
            : "site is led by " + site.leaderName(((Leadership.Refused) leadership).holder());
        s.send(codec.error("new_leader", r.site(),
            failure != null ? UiSyncError.UNAVAILABLE : UiSyncError.LEADER_EXISTS, msg));
        done.run();
        return;
      }
      String previous = ((Leadership.Granted) leadership).previous();
      s.leading.add(r.site());
      if (previous != null && !previous.equals(s.id())) {
        UiSyncSession old = sessions.get(previous);
        if (old != null) {
          old.leading.remove(r.site());
          old.send(codec.confirmLeaderEnd(r.site()));
        }
      }
      site.recordLeader(room, s.id());
      Proposal reset = new Proposal(s.nextLocalSeq(), room.head().seq(), new Change.Reset(r.snapshot()));
      // a session never resends and its id dies with it: the room keeps only its last decision
      room.submit(new Writer(s.id(), Role.LEADER, 0), s.origin(), List.of(reset),
          reset.localSeq() - 1, (outcomes, f) -> {
        if (f != null || !(outcomes.get(0) instanceof Outcome.Accepted)) {
          s.send(codec.error("new_leader", r.site(), UiSyncError.UNAVAILABLE,
              f != null ? f.getMessage() : ((Outcome.Rejected) outcomes.get(0)).message()));
          return;
        }
        s.send(codec.confirmLeaderStart(r.site()));
        announceLeaders(s.id());
      });
      done.run();
    });
  }

  private void removeLeader(UiSyncSession s, String siteName) {
    RoomHandle room = engine.room(UiSyncSite.PREFIX + siteName);
    if (room == null || !s.id().equals(room.leader())) {
      s.send(codec.error("remove_leader", siteName, UiSyncError.NOT_LEADER,
          "only the site's current leader may end its session"));
      return;
    }
    release(site(siteName), s.id(), s);
  }

  private void uiChange(UiSyncSession s, UiSyncRequest.UiChange r) {
    RoomHandle room = engine.room(UiSyncSite.PREFIX + r.site());
    if (room == null || !s.leading.contains(r.site())) {
      s.send(codec.error("ui_change", r.site(), UiSyncError.NOT_LEADER,
          "only the site's current leader may send ui_change"));
      return;
    }
    Proposal put = new Proposal(s.nextLocalSeq(), room.head().seq(), Change.Put.of(r.key(), r.value()));
    room.submit(new Writer(s.id(), Role.LEADER, 0), s.origin(), List.of(put), put.localSeq() - 1,
        (outcomes, f) -> {
      if (f != null) {
        s.send(codec.error("ui_change", r.site(), UiSyncError.UNAVAILABLE, f.getMessage()));
      } else if (outcomes.get(0) instanceof Outcome.Rejected rej) {
        s.send(codec.error("ui_change", r.site(), UiSyncError.NOT_LEADER, rej.message()));
      }
    });
  }

  /**
   * Ends {@code socketId}'s leadership of the site: followers hear {@code no_more_leader} from
   * the room; {@code requester} (if any) gets {@code confirm_leader_end} and is left out of the
   * {@code all_leaders} update, as in the original.
   */
  private void release(UiSyncSite site, String socketId, UiSyncSession requester) {
    site.room().releaseLeader(socketId, (released, f) -> {
      if (requester != null) {
        if (f != null || !Boolean.TRUE.equals(released)) {
          requester.send(codec.error("remove_leader", site.name, UiSyncError.NOT_LEADER,
              "only the site's current leader may end its session"));
          return;
        }
        requester.leading.remove(site.name);
        requester.send(codec.confirmLeaderEnd(site.name));
      }
      if (Boolean.TRUE.equals(released)) {
        announceLeaders(requester == null ? null : requester.id());
      }
    });
  }

  // ---- leaders ----

  /** Every led site and its leader's name, from the engine's rooms. */
  Map<String, String> leaders() {
    Map<String, String> out = new LinkedHashMap<>();
    engine.leaders().forEach((room, leader) -> {
      if (room.startsWith(UiSyncSite.PREFIX)) {
        String name = room.substring(UiSyncSite.PREFIX.length());
        UiSyncSite site = sites.get(name);
        out.put(name, site == null ? leader : site.leaderName(leader));
      }
    });
    return out;
  }

  /** The led sites {@code s} may see: every one, unless the surface is closed. */
  private Map<String, String> leadersFor(UiSyncSession s) {
    Map<String, String> all = leaders();
    if (!guard.open()) {
      all.keySet().removeIf(site -> !guard.sees(s, site));
    }
    return all;
  }

  /**
   * Sends {@code all_leaders} to every connected client but {@code except}: one shared event,
   * or on a closed surface each client the sites it may see.
   */
  private void announceLeaders(String except) {
    Outbound shared = guard.open() ? codec.allLeaders(leaders()).shared() : null;
    for (UiSyncSession s : sessions.values()) {
      if (!s.id().equals(except)) {
        s.send(shared != null ? shared : codec.allLeaders(leadersFor(s)));
      }
    }
  }

  private boolean authorized(String site, String presented) {
    String expected = options.leaderSecrets().get(site);
    if (expected == null) {
      expected = options.leaderSecrets().get("*");
    }
    if (expected == null) {
      return true;
    }
    return presented != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
        presented.getBytes(StandardCharsets.UTF_8));
  }

  int sessionCount() {
    return sessions.size();
  }
}
