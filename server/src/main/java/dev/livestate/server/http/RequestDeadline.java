package dev.livestate.server.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.http.HttpConnection;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Holds an HTTP/1 connection's client to {@code limits.request-timeout}: from the moment the
 * connection opens or its last response ends, the next request must arrive whole (head and body)
 * within it, else the connection is closed. So neither a slowloris client (half a request, or one
 * a byte at a time) nor an idle keep-alive connection holds a socket for long. No deadline runs
 * while the server works on a request (a long poll held open), and a connection upgraded to a
 * WebSocket is left to its surface's heartbeat: Vert.x's {@code idleTimeout} would close idle
 * WebSockets too and lets a request trickle in forever (decision 009).
 *
 * <p>A Netty handler between the HTTP codec and Vert.x, so that it sees where requests and
 * responses begin and end whatever the routes do; it runs on the connection's event loop only.
 */
public final class RequestDeadline extends ChannelDuplexHandler {
  private final long timeoutNanos;
  private ScheduledFuture<?> deadline;
  /** A request's head came and its body has not ended yet. */
  private boolean reading;
  /** Requests read whole, and responses ended (a route may answer before the body ends). */
  private long requests;
  private long responses;

  private RequestDeadline(long timeoutNanos) {
    this.timeoutNanos = timeoutNanos;
  }

  /** Puts a deadline on {@code connection} if it speaks HTTP/1 (a zero timeout: none). */
  public static void watch(HttpConnection connection, Duration timeout) {
    if (timeout.compareTo(Duration.ZERO) > 0) {
      TransportInternals.beforeVertx(connection, new RequestDeadline(timeout.toNanos()));
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    arm(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof HttpRequest) {
      reading = true;
      if (deadline == null) {
        arm(ctx); // a request sent while the one before is still being answered
      }
    }
    if (msg instanceof LastHttpContent) {
      reading = false;
      requests++;
      if (responses >= requests) {
        arm(ctx); // answered already: the connection is idle from now
      } else {
        disarm();
      }
    }
    super.channelRead(ctx, msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
      throws Exception {
    HttpResponseStatus status = msg instanceof HttpResponse r ? r.status() : null;
    super.write(ctx, msg, promise);
    if (HttpResponseStatus.SWITCHING_PROTOCOLS.equals(status)) {
      disarm();
      ctx.pipeline().remove(this);
      return;
    }
    boolean interim = status != null && status.codeClass() == HttpStatusClass.INFORMATIONAL;
    if (msg instanceof LastHttpContent && !interim) {
      responses++;
      if (!reading && responses >= requests) {
        arm(ctx);
      }
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    disarm();
    super.channelInactive(ctx);
  }

  private void arm(ChannelHandlerContext ctx) {
    disarm();
    deadline = ctx.executor().schedule(() -> ctx.close(), timeoutNanos, TimeUnit.NANOSECONDS);
  }

  private void disarm() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }
}
