package dev.livestate.server.adapter.meet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestate.conflict.ConflictPolicy;
import dev.livestate.engine.Engine;
import dev.livestate.engine.RoomHandle;
import dev.livestate.engine.Reply;
import dev.livestate.op.Json;
import dev.livestate.room.RoomConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The meets of this server: creating them, admitting clients (passwords, throttling, session
 * tokens), finding a token's session, publishing and purging. Auth data lives in each meet
 * room's private attributes, so it is as durable as the meet and never relayed:
 * {@code meet.auth} (scrypt hash), {@code meet.locations} (name → priority),
 * {@code meet.session.<sha256 of token>} ({location, displayOnly, expires}),
 * {@code meet.csv}, {@code meet.email}, {@code meet.finished} (epoch millis).
 */
final class Meets {
  static final String PREFIX = "meet:";
  static final String AUTH = "meet.auth";
  static final String LOCATIONS = "meet.locations";
  static final String SESSION = "meet.session.";
  static final String CSV = "meet.csv";
  static final String EMAIL = "meet.email";
  static final String FINISHED = "meet.finished";

  /** An authenticated client of one meet. {@code location} is null for a display without one. */
  record Session(RoomHandle room, String meetId, String location, boolean displayOnly,
      int priority, long expires) {}

  /** A session just issued. */
  record Issued(String token, Session session) {}

  private final Engine engine;
  private final ObjectMapper json;
  private final Tokens tokens;
  private final Admissions admissions;
  private final RoomConfig config;
  private final Duration sessionTtl;
  private final Duration finishedRetention;
  private final Set<String> reserved = ConcurrentHashMap.newKeySet();

  Meets(Engine engine, ObjectMapper json, Tokens tokens, Admissions admissions, int retainOps,
      Duration sessionTtl, Duration finishedRetention) {
    this.engine = engine;
    this.json = json;
    this.tokens = tokens;
    this.admissions = admissions;
    this.config = RoomConfig.DEFAULT.withPolicy(ConflictPolicy.PRIORITY)
        .withRetention(retainOps, Duration.ZERO);
    this.sessionTtl = sessionTtl;
    this.finishedRetention = finishedRetention;
  }

  static String roomName(String meetId) {
    return PREFIX + meetId;
  }

  RoomHandle room(String meetId) {
    return engine.room(roomName(meetId));
  }

  /**
   * The meet as the shared store last holds it (in a cluster another node may have made it, or
   * added sessions and results since this node last read it); null when there is none.
   */
  Future<RoomHandle> found(String meetId) {
    if (meetId == null) {
      return Future.succeededFuture(null);
    }
    Promise<RoomHandle> found = Promise.promise();
    engine.find(roomName(meetId), (room, f) -> {
      if (f != null) {
        found.fail(f);
      } else {
        found.complete(room);
      }
    });
    return found.future();
  }

  /** Thrown for a request the protocol refuses; the message is the reason given to the client. */
  static final class Refused extends RuntimeException {
    Refused(String reason) {
      super(reason, null, false, false);
    }
  }

  // ---- creating and joining ----

  /**
   * A new meet from {@code address}, with a session for the creating location. A meet id the
   * client asks for is looked up in the shared store first: in a cluster, a meet another node
   * made is never made again over it.
   */
  Future<Issued> create(MeetRequest.CreateMeet c, String address) {
    if (c.meetId() == null) {
      return createNew(c, address);
    }
    return found(c.meetId()).compose(existing -> existing != null
        ? Future.failedFuture(new Refused("meet " + c.meetId() + " exists"))
        : createNew(c, address));
  }

  private Future<Issued> createNew(MeetRequest.CreateMeet c, String address) {
    if (c.password().length() < Passwords.MIN_LENGTH) {
      return Future.failedFuture(new Refused(
          "password must be at least " + Passwords.MIN_LENGTH + " characters"));
    }
    if (!c.endpoints().containsKey(c.thisLocationName())) {
      return Future.failedFuture(new Refused("thisLocationName is not one of the endpoints"));
    }
    if (c.meetId() != null && (room(c.meetId()) != null || !reserved.add(c.meetId()))) {
      return Future.failedFuture(new Refused("meet " + c.meetId() + " exists"));
    }
    return admissions.hashForCreate(address, json, c.password())
        .onFailure(e -> {
          if (c.meetId() != null) {
            reserved.remove(c.meetId());
          }
        })
        .compose(hash -> {
          String id = c.meetId() != null ? c.meetId() : freshId();
          try {
            RoomHandle room = engine.open(roomName(id), config);
            ObjectNode locations = json.createObjectNode();
            c.endpoints().forEach(locations::put);
            room.putAttribute(AUTH, new Json(hash.toString()), Reply.ignore());
            room.putAttribute(LOCATIONS, new Json(locations.toString()), Reply.ignore());
            return issue(room, id, c.thisLocationName(), false,
                c.endpoints().get(c.thisLocationName()));
          } finally {
            reserved.remove(id);
          }
        });
  }

  /** Nine digits no current or finished meet uses (finished meets stay until purged). */
  private String freshId() {
    for (;;) {
      String id = tokens.meetId();
      if (room(id) == null && reserved.add(id)) {
        return id;
      }
    }
  }

  /**
   * Admits {@code address} to a meet when the password is right; refused when it is wrong, the
   * meet is unknown (alike), or the address or meet is past its limits (see {@link Admissions}).
   */
  Future<Issued> join(MeetRequest.JoinMeet j, String address) {
    String meetId = Tokens.isMeetId(j.meetId()) ? j.meetId() : null;
    AtomicReference<RoomHandle> meet = new AtomicReference<>();
    return admissions.checkJoin(address, meetId, j.password(), () -> found(meetId).map(room -> {
      meet.set(room);
      return room == null ? null : read(room.attribute(AUTH));
    })).compose(ok -> {
      RoomHandle room = ok ? meet.get() : null;
      if (room == null) {
        return Future.failedFuture(new Refused("invalid meetId/Password"));
      }
      Map<String, Integer> locations = locations(room);
      Integer priority = j.locationName() == null ? null : locations.get(j.locationName());
      if (!j.displayOnly() && priority == null) {
        return Future.failedFuture(new Refused("invalid locationName"));
      }
      return issue(room, meetId, j.locationName(), j.displayOnly(),
          priority == null ? Integer.MIN_VALUE : priority);
    });
  }

  private Future<Issued> issue(RoomHandle room, String meetId, String location, boolean display,
      int priority) {
    String token = tokens.session(meetId);
    long expires = engine.clock().millis() + sessionTtl.toMillis();
    ObjectNode record = json.createObjectNode().put("displayOnly", display)
        .put("expires", expires);
    if (location != null) {
      record.put("location", location);
    }
    Promise<Issued> done = Promise.promise();
    room.putAttribute(SESSION + Tokens.sha256(token), new Json(record.toString()), (v, f) -> {
      if (f != null) {
        done.fail(f);
      } else {
        done.complete(new Issued(token, new Session(room, meetId, location, display, priority,
            expires)));
      }
    });
    return done.future();
  }

  /** The live session a token names, or null (unknown, expired, or its meet is gone). */
  Session session(String token) {
    String meetId = Tokens.meetOf(token);
    if (meetId == null) {
      return null;
    }
    RoomHandle room = room(meetId);
    if (room == null) {
      return null;
    }
    JsonNode record = read(room.attribute(SESSION + Tokens.sha256(token)));
    if (record == null) {
      return null;
    }
    long expires = record.path("expires").asLong();
    if (expires <= engine.clock().millis()) {
      room.putAttribute(SESSION + Tokens.sha256(token), null, Reply.ignore());
      return null;
    }
    String location = record.hasNonNull("location") ? record.get("location").asText() : null;
    boolean display = record.path("displayOnly").asBoolean();
    Integer priority = location == null ? null : locations(room).get(location);
    return new Session(room, meetId, location, display,
        priority == null ? Integer.MIN_VALUE : priority, expires);
  }

  Map<String, Integer> locations(RoomHandle room) {
    Map<String, Integer> out = new LinkedHashMap<>();
    JsonNode l = read(room.attribute(LOCATIONS));
    if (l != null) {
      l.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asInt()));
    }
    return out;
  }

  // ---- publishing and purging ----

  /** Keeps the CSV and seals the meet; completes once both are committed. */
  Future<Void> publish(Session s, String email, String csv) {
    if (s.room().sealed() || s.room().attribute(FINISHED) != null) {
      return Future.failedFuture(new Refused("meet is already published"));
    }
    RoomHandle room = s.room();
    room.putAttribute(CSV, new Json(json.getNodeFactory().textNode(csv).toString()), Reply.ignore());
    room.putAttribute(EMAIL, new Json(json.getNodeFactory().textNode(email).toString()),
        Reply.ignore());
    room.putAttribute(FINISHED, new Json(Long.toString(engine.clock().millis())), Reply.ignore());
    Promise<Void> done = Promise.promise();
    room.seal((v, f) -> {
      if (f != null) {
        done.fail(f);
      } else {
        done.complete();
      }
    });
    return done.future();
  }

  /**
   * The CSV a published meet kept, or null. It is stored as a JSON string and served as text, so
   * it is unescaped here, never built into a tree.
   */
  String csv(RoomHandle room) {
    Json stored = room.attribute(CSV);
    if (stored == null) {
      return null;
    }
    try {
      return json.readValue(stored.text(), String.class);
    } catch (Exception e) {
      throw new IllegalStateException("bad meet attribute", e);
    }
  }

  /**
   * Deletes finished meets older than the retention; returns how many. In a cluster only a
   * meet's owner purges it, so one node deletes it, not every node that knows it (decision 028).
   */
  int purge() {
    long cutoff = engine.clock().millis() - finishedRetention.toMillis();
    int purged = 0;
    for (Iterator<RoomHandle> it = engine.rooms().iterator(); it.hasNext(); ) {
      RoomHandle r = it.next();
      Json finished = r.name().startsWith(PREFIX) && engine.decides(r.name())
          ? r.attribute(FINISHED) : null;
      if (finished != null && Long.parseLong(finished.text()) < cutoff) {
        engine.delete(r.name(), Reply.ignore());
        purged++;
      }
    }
    admissions.prune();
    return purged;
  }

  private JsonNode read(Json value) {
    if (value == null) {
      return null;
    }
    try {
      return json.readTree(value.text());
    } catch (Exception e) {
      throw new IllegalStateException("bad meet attribute", e);
    }
  }
}
