package dev.livestate.server.adapter.meet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestate.server.guard.ClientAddress;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.function.Supplier;

/**
 * Decides whether and when the scrypt work of a CREATE_MEET or JOIN_MEET runs, all before any
 * of it is done: the limit of each remote address (creates per window; failed joins per window
 * plus joins in flight), the pacing of each meet's password checks, and the bounded
 * {@link HashingPool}. A request past a limit is refused at once with a {@link Meets.Refused}.
 * Thread-safe.
 */
final class Admissions {
  static final String TOO_MANY_FAILED = "too many failed attempts: try again later";
  static final String TOO_MANY_WAITING =
      "too many attempts waiting for this meet: try again later";
  static final String TOO_MANY_CREATED = "too many meets created: try again later";

  private final Passwords passwords;
  private final HashingPool pool;
  private final AddressLimit joins;
  private final AddressLimit creates;
  private final PasswordPacer pacer;

  Admissions(Passwords passwords, HashingPool pool, AddressLimit joins, AddressLimit creates,
      PasswordPacer pacer) {
    this.passwords = passwords;
    this.pool = pool;
    this.joins = joins;
    this.creates = creates;
    this.pacer = pacer;
  }

  /** A new salted hash of a new meet's password, if {@code address} may create one now. */
  Future<ObjectNode> hashForCreate(String address, ObjectMapper json, String password) {
    AddressLimit.Attempt attempt = creates.begin(address);
    if (attempt == null) {
      return Future.failedFuture(new Meets.Refused(TOO_MANY_CREATED));
    }
    // a create counts once its hash was made, whether or not the meet could then be opened
    return pool.submit(() -> passwords.hash(json, password))
        .andThen(ar -> attempt.end(ar.succeeded()));
  }

  /**
   * Whether {@code password} is the meet's. {@code meetId} is null for one that cannot be a meet
   * id: it is checked at once against the decoy, unpaced. {@code auth} gives the meet's stored
   * hash (null: no such meet, checked against the decoy so it takes as long), asked for when the
   * check starts (in a cluster it may read the shared store). A wrong password counts against the address.
   */
  Future<Boolean> checkJoin(String address, String meetId, String password,
      Supplier<Future<JsonNode>> auth) {
    AddressLimit.Attempt attempt = joins.begin(address);
    if (attempt == null) {
      return Future.failedFuture(new Meets.Refused(TOO_MANY_FAILED));
    }
    Future<Boolean> checked;
    if (meetId == null) {
      checked = check(password, auth);
    } else {
      Promise<Boolean> result = Promise.promise();
      boolean queued = pacer.offer(meetId, ClientAddress.keyOf(address),
          finished -> check(password, auth).onComplete(ar -> {
            finished.run();
            result.handle(ar);
          }));
      if (!queued) {
        attempt.end(false);
        return Future.failedFuture(new Meets.Refused(TOO_MANY_WAITING));
      }
      checked = result.future();
    }
    return checked.andThen(ar -> attempt.end(ar.succeeded() && !ar.result()));
  }

  private Future<Boolean> check(String password, Supplier<Future<JsonNode>> auth) {
    return auth.get().compose(stored -> pool.submit(() -> {
      if (stored == null) {
        passwords.decoyCheck(password);
        return false;
      }
      return passwords.matches(stored, password);
    }));
  }

  /** Forgets addresses with nothing left in their windows; call now and then. */
  void prune() {
    joins.prune();
    creates.prune();
  }
}
