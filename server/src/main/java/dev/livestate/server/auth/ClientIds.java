package dev.livestate.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.access.Home;
import dev.livestate.engine.Engine;
import dev.livestate.engine.Reply;
import dev.livestate.engine.RoomHandle;
import dev.livestate.op.Json;
import dev.livestate.room.RoomConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Open mode's client ids: the first connection that names an id holds it and gets a resume
 * secret; a later connection may use the id only with that secret. So a second connection can
 * never write as a live client, end its leadership or take its place in the resend ledger.
 * (In token mode the id is the token's subject and this is not used.)
 *
 * <p>Held ids live in the server's own room {@value #ROOM} (no door reaches it) as private
 * attributes holding the secret's SHA-256, so they survive restarts. An id unused for the TTL
 * is released. Thread-safe.
 */
public final class ClientIds {
  static final String ROOM = "livestate:clients";
  private static final String KEY = "id:";
  /** A resume secret the client chose itself must be at least this long. */
  static final int MIN_SECRET = 16;

  /** What a connection naming a client id gets. */
  public sealed interface Claim {
    /** The id was free and is now this connection's; the client keeps {@code resume}. */
    record Issued(String resume) implements Claim {}

    /** The connection brought the id's secret. */
    record Resumed() implements Claim {}

    /** Another client holds the id. */
    record Refused(String reason) implements Claim {}
  }

  private record Held(byte[] secretHash, long used) {}

  private final RoomHandle room;
  private final ObjectMapper json;
  private final Clock clock;
  private final long ttlMillis;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Held> held = new ConcurrentHashMap<>();

  private ClientIds(RoomHandle room, ObjectMapper json, Clock clock, Duration ttl) {
    this.room = room;
    this.json = json;
    this.clock = clock;
    this.ttlMillis = ttl.toMillis();
  }

  /** The ids held in {@code engine}'s store (recovered already), ready to take claims. */
  public static ClientIds open(Engine engine, ObjectMapper json, Duration ttl) {
    if (Home.of(ROOM) != Home.SYSTEM) {
      throw new AssertionError(ROOM + " must be a system room");
    }
    RoomHandle room = engine.open(ROOM, RoomConfig.DEFAULT.withRetention(0, Duration.ZERO));
    ClientIds ids = new ClientIds(room, json, engine.clock(), ttl);
    room.attributes(KEY).forEach((key, value) -> {
      try {
        JsonNode n = json.readTree(value.text());
        ids.held.put(key.substring(KEY.length()),
            new Held(Base64.getDecoder().decode(n.path("secret").asText()), n.path("used").asLong()));
      } catch (java.io.IOException | IllegalArgumentException e) {
        room.putAttribute(key, null, Reply.ignore());
      }
    });
    return ids;
  }

  /**
   * A connection names {@code clientId}, bringing {@code resume} (null: none). A free id is
   * held from now on, by the secret the client brought or by a new one it is given.
   */
  public Claim claim(String clientId, String resume) {
    if (resume != null && resume.length() < MIN_SECRET) {
      return new Claim.Refused("a resume secret must be at least " + MIN_SECRET + " characters");
    }
    long now = clock.millis();
    held.computeIfPresent(clientId, (id, h) -> expired(h, now) ? null : h);
    String secret = resume != null ? resume : newSecret();
    Held mine = new Held(sha256(secret), now);
    Held prior = held.putIfAbsent(clientId, mine);
    if (prior == null) {
      persist(clientId, mine);
      return resume != null ? new Claim.Resumed() : new Claim.Issued(secret);
    }
    if (resume == null || !MessageDigest.isEqual(sha256(resume), prior.secretHash())) {
      return new Claim.Refused("client id " + clientId + " is held by another client: send its"
          + " resume secret, or use another id");
    }
    if (now - prior.used() > ttlMillis / 30) {
      Held touched = new Held(prior.secretHash(), now);
      held.replace(clientId, prior, touched);
      persist(clientId, touched);
    }
    return new Claim.Resumed();
  }

  /** Releases the ids unused for longer than the TTL. */
  public void sweep() {
    long now = clock.millis();
    held.forEach((id, h) -> {
      if (expired(h, now) && held.remove(id, h)) {
        room.putAttribute(KEY + id, null, Reply.ignore());
      }
    });
  }

  private boolean expired(Held h, long now) {
    return now - h.used() > ttlMillis;
  }

  private void persist(String clientId, Held h) {
    String value = json.createObjectNode()
        .put("secret", Base64.getEncoder().encodeToString(h.secretHash()))
        .put("used", h.used()).toString();
    room.putAttribute(KEY + clientId, new Json(value), Reply.ignore());
  }

  private String newSecret() {
    byte[] b = new byte[24];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static byte[] sha256(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
