package dev.livestate.server.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BiConsumer;

/**
 * How an HTTP surface answers browsers: which pages may use it (its {@link Origins}), and the
 * preflight of a cross-origin request. A request from a page the surface does not allow is
 * refused (403, in the surface's own error shape) rather than only left unreadable: a form or
 * a "simple" {@code fetch} from any page would otherwise still be carried out. Immutable; each
 * {@code with…} returns a copy. As a route handler it sets the headers and answers every
 * {@code OPTIONS} itself (204).
 */
public final class Cors implements Handler<RoutingContext> {
  private static final String MAX_AGE = "86400";
  private static final BiConsumer<RoutingContext, String> PLAIN_403 = (rc, message) ->
      rc.response().setStatusCode(403).putHeader("Content-Type", "text/plain; charset=utf-8")
          .end(message + "\n");

  private final Origins origins;
  private final boolean credentials;
  private final String methods;
  /** Allowed request headers; null lets a preflight have whatever it asks for. */
  private final String headers;
  private final String exposed;
  /** Answers a refused request: the status (403) and the surface's error body. */
  private final BiConsumer<RoutingContext, String> refuse;

  private Cors(Origins origins, boolean credentials, String methods, String headers,
      String exposed, BiConsumer<RoutingContext, String> refuse) {
    this.origins = origins;
    this.credentials = credentials;
    this.methods = methods;
    this.headers = headers;
    this.exposed = exposed;
    this.refuse = refuse;
  }

  /**
   * For the pages {@code origins} allows. Allows GET, POST and OPTIONS with a
   * {@code Content-Type} until told otherwise, and refuses other pages with a plain-text 403.
   */
  public static Cors allowing(Origins origins) {
    return new Cors(origins, false, "GET, POST, OPTIONS", "Content-Type", null, PLAIN_403);
  }

  public Cors withMethods(HttpMethod... allowed) {
    StringBuilder b = new StringBuilder();
    for (HttpMethod m : allowed) {
      b.append(b.length() == 0 ? "" : ", ").append(m.name());
    }
    return new Cors(origins, credentials, b.toString(), headers, exposed, refuse);
  }

  public Cors withHeaders(String... allowed) {
    return new Cors(origins, credentials, methods, String.join(", ", allowed), exposed, refuse);
  }

  /** A preflight may send whatever request headers it asks for. */
  public Cors withAnyHeaders() {
    return new Cors(origins, credentials, methods, null, exposed, refuse);
  }

  /** Response headers a page's script may read. */
  public Cors exposing(String... names) {
    return new Cors(origins, credentials, methods, headers, String.join(", ", names), refuse);
  }

  /**
   * Pages from the origins listed by name may send cookies: their answer names the origin with
   * {@code Access-Control-Allow-Credentials: true}, as Socket.IO servers do. Any other allowed
   * page gets no credentials.
   */
  public Cors withCredentials() {
    return new Cors(origins, true, methods, headers, exposed, refuse);
  }

  /** Refused pages are answered by {@code refuse} (given the reason), in the surface's shape. */
  public Cors refusingWith(BiConsumer<RoutingContext, String> refuse) {
    return new Cors(origins, credentials, methods, headers, exposed, refuse);
  }

  public Origins origins() {
    return origins;
  }

  @Override
  public void handle(RoutingContext rc) {
    if (answer(rc)) {
      rc.next();
    }
  }

  /**
   * Sets the headers of {@code rc}'s answer; answers a preflight, and a refused page, itself.
   * Returns whether the request still needs its route (false: it was answered).
   */
  public boolean answer(RoutingContext rc) {
    String origin = rc.request().getHeader("Origin");
    if (!origins.allows(origin, rc.request().getHeader("Host"))) {
      refuse.accept(rc, origins.refusal(origin));
      return false;
    }
    HttpServerResponse r = rc.response();
    if (origin == null || origins.any() && !(credentials && origins.listed(origin))) {
      if (origins.any()) {
        r.putHeader("Access-Control-Allow-Origin", "*");
      }
    } else {
      r.putHeader("Access-Control-Allow-Origin", origin).putHeader("Vary", "Origin");
      if (credentials && origins.listed(origin)) {
        r.putHeader("Access-Control-Allow-Credentials", "true");
      }
    }
    if (exposed != null) {
      r.putHeader("Access-Control-Expose-Headers", exposed);
    }
    if (rc.request().method() != HttpMethod.OPTIONS) {
      return true;
    }
    String asked = rc.request().getHeader("Access-Control-Request-Headers");
    r.putHeader("Access-Control-Allow-Methods", methods)
        .putHeader("Access-Control-Allow-Headers",
            headers != null ? headers : asked != null ? asked : "Content-Type")
        .putHeader("Access-Control-Max-Age", MAX_AGE);
    r.setStatusCode(204).end();
    return false;
  }
}
