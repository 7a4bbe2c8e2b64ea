package dev.livestate.server.adapter.meet;

import dev.livestate.access.Home;
import dev.livestate.engine.RoomHandle;
import dev.livestate.room.Position;
import dev.livestate.server.ServerContext;
import dev.livestate.server.Surface;
import dev.livestate.server.http.Cors;
import dev.livestate.server.http.ErrorShapes;
import dev.livestate.server.http.OpenConnections;
import dev.livestate.server.http.RemoteClient;
import dev.livestate.server.http.WebSocketRoute;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live meets for OpenLifter (seed 003): the WebSocket protocol at {@code meet.path}, the CSV and
 * update-log downloads, the livestream overlay page, and the JS client bundles under
 * {@code /js/}.
 */
public final class MeetSurface implements Surface {
  private static final Logger LOG = LoggerFactory.getLogger(MeetSurface.class);

  private final OpenConnections open = new OpenConnections(Home.MEET);
  private final MeetConfig config;
  private final Cors cors;
  private ServerContext ctx;
  private Meets meets;
  private Passwords passwords;
  private HashingPool hashing;
  private Mailer mailer;
  private long purgeTimer = -1;

  @Override
  public String name() {
    return "meet";
  }

  public MeetSurface(MeetConfig config) {
    this.config = config;
    this.cors = Cors.allowing(config.origins()).withMethods(HttpMethod.GET, HttpMethod.OPTIONS)
        .withHeaders("Authorization", "Content-Type");
  }

  @Override
  public void mount(ServerContext context) {
    this.ctx = context;
    context.clients().add(open::clients);
    SecureRandom random = new SecureRandom();
    this.passwords = new Passwords(random, config.scryptCost(), context.json());
    this.hashing = new HashingPool(context.vertx(), config.hashingThreads(),
        config.maxQueuedHashes());
    this.meets = new Meets(context.engine(), context.json(), new Tokens(random),
        admissions(context.vertx()), config.retainOps(), config.sessionTtl(),
        config.finishedRetention());
    this.mailer = Mailer.from(config.smtp());
    MeetCodec codec = new MeetCodec(context.json());
    String path = config.path();
    // its HTTP answers are lines of text, and so are the router's refusals of its paths
    context.errorShapes().claimTree(path, (status, message) -> ErrorShapes.Answer.text(message));
    var router = context.router();
    router.route(path).handler(WebSocketRoute.endpoint("OpenLifter live-meet",
        config.origins(), (ws, transport) -> accept(ws, transport, codec)));
    byte[] overlay = resource("webroot/meet/overlay.html");
    router.get(path + "/overlay").handler(rc -> rc.response()
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .end(Buffer.buffer(overlay)));
    router.route(path + "/:meetId/*").handler(cors);
    router.get(path + "/:meetId/csv").handler(this::csv);
    router.get(path + "/:meetId/log").handler(this::log);
    int purged = meets.purge();
    if (purged > 0) {
      LOG.info("purged {} finished meets past their retention", purged);
    }
    purgeTimer = context.vertx().setPeriodic(
        Math.max(1000, config.purgeInterval().toMillis()), id -> meets.purge());
  }

  private Admissions admissions(Vertx vertx) {
    LongSupplier millis = () -> System.nanoTime() / 1_000_000;
    PasswordPacer pacer = new PasswordPacer(millis, config.passwordCheckInterval(),
        config.passwordCheckBurst(), (delay, task) -> vertx.setTimer(Math.max(1, delay),
            id -> task.run()));
    return new Admissions(passwords, hashing,
        new AddressLimit(millis, config.failedJoinWindow(), config.maxFailedJoinsPerAddress()),
        new AddressLimit(millis, config.createWindow(), config.maxCreatesPerAddress()), pacer);
  }

  /** The meet passwords, which count the scrypt checks performed. */
  Passwords passwords() {
    return passwords;
  }

  private void accept(ServerWebSocket ws, HttpConnection transport, MeetCodec codec) {
    RemoteClient client = ctx.addresses().of(ws);
    String address = client.address();
    open.accept(ws, transport, client, ctx.limits(), ctx.engine().listener(),
        connection -> new MeetSession(meets, connection, codec, address, this::mail), null);
  }

  /** Emails the confirmation when SMTP is configured; completes with whether it was sent. */
  private Future<Boolean> mail(String to, String meetId, String csv) {
    if (mailer == null) {
      return Future.succeededFuture(false);
    }
    return ctx.vertx().<Boolean>executeBlocking(() -> {
      mailer.sendPublished(to, meetId, csv);
      return true;
    }, false).recover(e -> {
      LOG.warn("publish confirmation for meet {} not sent: {}", meetId, e.toString());
      return Future.succeededFuture(false);
    });
  }

  /** The session of a request's bearer token, if it belongs to the meet in the path. */
  private Meets.Session authorized(RoutingContext rc) {
    String header = rc.request().getHeader("Authorization");
    String token = header != null && header.startsWith("Bearer ") ? header.substring(7).trim() : null;
    Meets.Session s = token == null ? null : meets.session(token);
    if (s == null || !s.meetId().equals(rc.pathParam("meetId"))) {
      rc.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer")
          .end("a valid session token of this meet is required\n");
      return null;
    }
    return s;
  }

  private void csv(RoutingContext rc) {
    Meets.Session s = authorized(rc);
    if (s == null) {
      return;
    }
    String csv = meets.csv(s.room());
    if (csv == null) {
      rc.response().setStatusCode(404).end("meet " + s.meetId() + " is not published\n");
      return;
    }
    rc.response().putHeader("Content-Type", "text/csv; charset=utf-8")
        .putHeader("Content-Disposition", "attachment; filename=\"meet-" + s.meetId() + ".opl.csv\"")
        .end(csv);
  }

  private void log(RoutingContext rc) {
    Meets.Session s = authorized(rc);
    if (s == null) {
      return;
    }
    RoomHandle room = s.room();
    room.catchUp(new Position(room.head().epoch(), 0), (c, failure) -> {
      if (failure != null) {
        rc.response().setStatusCode(500).end(String.valueOf(failure.getMessage()));
        return;
      }
      rc.response().putHeader("Content-Type", "application/json")
          .end(Buffer.buffer(MeetMessages.log(s.meetId(), room.sealed(), c)));
    });
  }

  private static byte[] resource(String name) {
    try (InputStream in = MeetSurface.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        return ("missing resource " + name).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public List<String> endpoints() {
    String path = config.path();
    return List.of("ws://{base}" + path, "http://{base}" + path + "/overlay",
        "http://{base}" + path + "/<meetId>/csv|log", "http://{base}/js/meet/");
  }

  @Override
  public void close() {
    if (purgeTimer >= 0 && ctx != null) {
      ctx.vertx().cancelTimer(purgeTimer);
    }
    open.closeAll();
    if (hashing != null) {
      hashing.close();
    }
  }
}
