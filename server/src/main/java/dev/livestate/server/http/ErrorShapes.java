package dev.livestate.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every refusal the router makes itself — no route (404), a method no route takes (405), a path
 * it cannot decode (400), a body over a route's limit (413), a handler that failed (500) — in
 * the error shape of the surface whose path it is, so a client of one surface never has to read
 * another's errors. Surfaces claim their paths when they mount; the router's error handlers ask
 * here. Thread-safe.
 */
public final class ErrorShapes {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorShapes.class);

  /** How a surface words a refusal with {@code status}: the body it sends and its type. */
  @FunctionalInterface
  public interface Shape {
    Answer answer(int status, String message);
  }

  /** A refusal's body, with its content type. */
  public record Answer(String contentType, byte[] body) {
    public static Answer json(byte[] body) {
      return new Answer("application/json", body);
    }

    public static Answer json(String body) {
      return json(body.getBytes(StandardCharsets.UTF_8));
    }

    public static Answer text(String line) {
      return new Answer("text/plain; charset=utf-8",
          (line + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  /** A path ({@code exact}) or a path and everything under it, and its surface's shape. */
  private record Claim(String path, boolean exact, Shape shape) {
    boolean covers(String requested) {
      return requested.equals(path)
          || !exact && requested.startsWith(path) && requested.charAt(path.length()) == '/';
    }
  }

  private final List<Claim> claims = new CopyOnWriteArrayList<>();
  private volatile Shape fallback;

  /** {@code path} and every path under it are the surface's: the longest claim wins. */
  public void claimTree(String path, Shape shape) {
    claims.add(new Claim(path, false, shape));
  }

  /** Exactly {@code path} is the surface's, before any tree that holds it. */
  public void claimPath(String path, Shape shape) {
    claims.add(new Claim(path, true, shape));
  }

  /** The shape of paths no surface claims. */
  public void claimTheRest(Shape shape) {
    fallback = shape;
  }

  /** Makes these shapes the router's answer to every 4xx and 5xx it raises unhandled. */
  public void install(Router router) {
    for (int status = 400; status < 600; status++) {
      int raised = status;
      router.errorHandler(status, rc -> answer(rc, raised));
    }
  }

  /** The shape of the surface that claimed {@code path}; null when none did and no fallback. */
  Shape shapeOf(String path) {
    Claim best = null;
    for (Claim c : claims) {
      if (c.covers(path) && (best == null || better(c, best))) {
        best = c;
      }
    }
    return best != null ? best.shape : fallback;
  }

  private static boolean better(Claim c, Claim than) {
    return c.exact != than.exact ? c.exact : c.path.length() > than.path.length();
  }

  /**
   * Answers the refusal the router raised with {@code raised}: a path it cannot decode reaches
   * the handler of 400 with no status on the context.
   */
  private void answer(RoutingContext rc, int raised) {
    if (rc.response().ended() || rc.response().headWritten()) {
      return;
    }
    int status = rc.statusCode() >= 400 ? rc.statusCode() : raised;
    if (status >= 500 && rc.failure() != null) {
      LOG.error("{} {} failed", rc.request().method(), rc.request().path(), rc.failure());
    }
    String path = rc.request().path() == null ? "" : rc.request().path();
    Shape shape = shapeOf(path);
    String message = message(status, rc, path);
    Answer a = shape == null ? Answer.text(message) : shape.answer(status, message);
    rc.response().setStatusCode(status).putHeader("Content-Type", a.contentType())
        .end(Buffer.buffer(a.body()));
  }

  /** What went wrong, in words any surface can put in its shape; never a server's internals. */
  private static String message(int status, RoutingContext rc, String path) {
    return switch (status) {
      case 400 -> "malformed request: the path, query or headers cannot be read";
      case 404 -> "no such path: " + path;
      case 405 -> "method " + rc.request().method() + " is not allowed on " + path;
      case 413 -> "request body too large";
      case 415 -> "unsupported content type";
      default -> status >= 500 ? "server error"
          : HttpResponseStatus.valueOf(status).reasonPhrase().toLowerCase(Locale.ROOT);
    };
  }
}
