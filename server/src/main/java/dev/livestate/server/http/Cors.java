package dev.livestate.server.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;

/**
 * How an HTTP surface answers browsers from other origins: which origins may read its answers,
 * and the preflight of a cross-origin request. Immutable; each {@code with…} returns a copy.
 * As a route handler it sets the headers and answers every {@code OPTIONS} itself (204).
 */
public final class Cors implements Handler<RoutingContext> {
  private static final String MAX_AGE = "86400";

  /** Allowed origins in lower case; empty allows any. */
  private final List<String> origins;
  private final boolean credentials;
  private final String methods;
  /** Allowed request headers; null lets a preflight have whatever it asks for. */
  private final String headers;
  private final String exposed;

  private Cors(List<String> origins, boolean credentials, String methods, String headers,
      String exposed) {
    this.origins = origins;
    this.credentials = credentials;
    this.methods = methods;
    this.headers = headers;
    this.exposed = exposed;
  }

  /**
   * From a setting's text: {@code *} for any origin, else a comma-separated list. Allows GET,
   * POST and OPTIONS with a {@code Content-Type} until told otherwise.
   */
  public static Cors allowing(String setting) {
    String s = setting.trim();
    List<String> origins = s.equals("*") ? List.of()
        : List.of(s.toLowerCase(Locale.ROOT).split("\\s*,\\s*"));
    return new Cors(origins, false, "GET, POST, OPTIONS", "Content-Type", null);
  }

  public Cors withMethods(HttpMethod... allowed) {
    StringBuilder b = new StringBuilder();
    for (HttpMethod m : allowed) {
      b.append(b.length() == 0 ? "" : ", ").append(m.name());
    }
    return new Cors(origins, credentials, b.toString(), headers, exposed);
  }

  public Cors withHeaders(String... allowed) {
    return new Cors(origins, credentials, methods, String.join(", ", allowed), exposed);
  }

  /** A preflight may send whatever request headers it asks for. */
  public Cors withAnyHeaders() {
    return new Cors(origins, credentials, methods, null, exposed);
  }

  /** Response headers a page's script may read. */
  public Cors exposing(String... names) {
    return new Cors(origins, credentials, methods, headers, String.join(", ", names));
  }

  /**
   * Allowed origins may send cookies: the answer names the origin (never {@code *}) with {@code
   * Access-Control-Allow-Credentials: true}, as Socket.IO servers do.
   */
  public Cors withCredentials() {
    return new Cors(origins, true, methods, headers, exposed);
  }

  public boolean allows(String origin) {
    return origins.isEmpty() || origin != null && origins.contains(origin.toLowerCase(Locale.ROOT));
  }

  @Override
  public void handle(RoutingContext rc) {
    if (answer(rc)) {
      rc.next();
    }
  }

  /**
   * Sets the headers of {@code rc}'s answer; answers a preflight itself. Returns whether the
   * request still needs its route (false: it was a preflight, now answered).
   */
  public boolean answer(RoutingContext rc) {
    String origin = rc.request().getHeader("Origin");
    HttpServerResponse r = rc.response();
    boolean allowed = allows(origin);
    if (allowed && origins.isEmpty() && !credentials) {
      r.putHeader("Access-Control-Allow-Origin", "*");
    } else if (allowed && origin != null) {
      r.putHeader("Access-Control-Allow-Origin", origin).putHeader("Vary", "Origin");
      if (credentials) {
        r.putHeader("Access-Control-Allow-Credentials", "true");
      }
    }
    if (allowed && exposed != null) {
      r.putHeader("Access-Control-Expose-Headers", exposed);
    }
    if (rc.request().method() != HttpMethod.OPTIONS) {
      return true;
    }
    if (allowed) {
      String asked = rc.request().getHeader("Access-Control-Request-Headers");
      r.putHeader("Access-Control-Allow-Methods", methods)
          .putHeader("Access-Control-Allow-Headers",
              headers != null ? headers : asked != null ? asked : "Content-Type")
          .putHeader("Access-Control-Max-Age", MAX_AGE);
    }
    r.setStatusCode(204).end();
    return false;
  }
}
