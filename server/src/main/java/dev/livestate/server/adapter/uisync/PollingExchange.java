package dev.livestate.server.adapter.uisync;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One HTTP long-polling request of Engine.IO, presented to engine.io-server as the servlet
 * request/response pair it expects, and answered through Vert.x. engine.io-server only uses a
 * handful of servlet methods (query, headers, method, body, status, headers, body, async
 * start/complete); those are served here, everything else answers a neutral default.
 *
 * <p>A poll that has nothing to send is held open (servlet async mode) until the library writes
 * to it from whatever thread has data; the Vert.x response is ended then. A client that drops a
 * held poll is reported to the library as an async error, which closes the Engine.IO socket as
 * the Node server does.
 */
final class PollingExchange {
  private final HttpServerRequest request;
  private final byte[] body;
  private final Map<String, Object> attributes = new HashMap<>();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final Map<String, List<String>> headers = new HashMap<>();
  private final List<AsyncListener> listeners = new ArrayList<>();
  private PrintWriter writer;
  private int status = 200;
  private String contentType;
  private boolean asyncStarted;
  private boolean ended;
  private boolean responded;
  private AsyncContext async;

  PollingExchange(HttpServerRequest request, Buffer body) {
    this.request = request;
    this.body = body == null ? new byte[0] : body.getBytes();
  }

  HttpServletRequest servletRequest() {
    return (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> {
          switch (method.getName()) {
            case "getQueryString": return request.query();
            case "getMethod": return request.method().name();
            case "getHeader": return request.getHeader((String) args[0]);
            case "getHeaderNames": return Collections.enumeration(request.headers().names());
            case "getHeaders": return Collections.enumeration(request.headers().getAll((String) args[0]));
            // a held poll is answered from whichever thread sends next (another event loop, a
            // room's lane, the heartbeat timer), so what the library reads back is guarded
            case "getAttribute": synchronized (this) { return attributes.get((String) args[0]); }
            case "setAttribute": synchronized (this) { attributes.put((String) args[0], args[1]); } return null;
            case "isAsyncSupported": return true;
            case "isAsyncStarted": synchronized (this) { return asyncStarted && !ended; }
            case "startAsync": return startAsync();
            case "getAsyncContext": synchronized (this) { return async; }
            case "getContentLength": return body.length;
            case "getContentLengthLong": return (long) body.length;
            case "getInputStream": return new BodyStream(body);
            case "hashCode": return System.identityHashCode(proxy);
            case "equals": return proxy == args[0];
            case "toString": return "PollingExchange " + request.uri();
            default: return neutral(method.getReturnType());
          }
        });
  }

  HttpServletResponse servletResponse() {
    return (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> {
          switch (method.getName()) {
            case "addHeader":
            case "setHeader":
              synchronized (this) {
                List<String> values = headers.computeIfAbsent((String) args[0], k -> new ArrayList<>());
                if (method.getName().equals("setHeader")) {
                  values.clear();
                }
                values.add((String) args[1]);
              }
              return null;
            case "setStatus": synchronized (this) { status = (Integer) args[0]; } return null;
            case "setContentType": synchronized (this) { contentType = (String) args[0]; } return null;
            case "getOutputStream": return new ResponseStream();
            case "getWriter": return writer();
            case "hashCode": return System.identityHashCode(proxy);
            case "equals": return proxy == args[0];
            case "toString": return "PollingExchange response";
            default: return neutral(method.getReturnType());
          }
        });
  }

  /** Called when the library's handler returned: a poll it did not hold is answered now. */
  void handled() {
    synchronized (this) {
      if (asyncStarted) {
        return;
      }
    }
    end();
  }

  /**
   * What closes the Engine.IO session whose polling transport registered on this request (every
   * poll and the handshake register it), or null: it tells the transport its poll failed.
   */
  synchronized Runnable transportFailure() {
    if (listeners.isEmpty()) {
      return null;
    }
    AsyncListener transport = listeners.get(0);
    AsyncEvent failure = new AsyncEvent(async);
    return () -> {
      try {
        transport.onError(failure);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  /** The client went away; a poll still held is reported to the library as failed. */
  void connectionClosed() {
    List<AsyncListener> toTell;
    synchronized (this) {
      if (ended || !asyncStarted) {
        return;
      }
      ended = true;
      toTell = new ArrayList<>(listeners);
    }
    for (AsyncListener l : toTell) {
      try {
        l.onError(new AsyncEvent(async));
      } catch (Exception ignored) {
        // the socket is being closed anyway
      }
    }
  }

  private synchronized AsyncContext startAsync() {
    asyncStarted = true;
    if (async == null) {
      async = (AsyncContext) Proxy.newProxyInstance(getClass().getClassLoader(),
          new Class<?>[] {AsyncContext.class}, (proxy, method, args) -> {
            switch (method.getName()) {
              case "addListener": synchronized (this) { listeners.add((AsyncListener) args[0]); } return null;
              case "complete": end(); return null;
              case "hashCode": return System.identityHashCode(proxy);
              case "equals": return proxy == args[0];
              default: return neutral(method.getReturnType());
            }
          });
    }
    return async;
  }

  private synchronized PrintWriter writer() {
    if (writer == null) {
      writer = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
    }
    return writer;
  }

  /** Ends the Vert.x response with what the library wrote; safe from any thread, once. */
  private void end() {
    Buffer payload;
    int code;
    String type;
    Map<String, List<String>> hs;
    synchronized (this) {
      if (responded) {
        return;
      }
      responded = true;
      if (writer != null) {
        writer.flush();
      }
      payload = Buffer.buffer(out.toByteArray());
      code = status;
      type = contentType;
      hs = new HashMap<>(headers);
      ended = true;
      asyncStarted = false;
    }
    HttpServerResponse response = request.response();
    if (response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(code);
    hs.forEach((name, values) -> response.headers().set(name, values));
    if (type != null) {
      response.putHeader("Content-Type", type);
    }
    response.end(payload);
  }

  private static Object neutral(Class<?> type) {
    if (type == boolean.class) {
      return false;
    }
    if (type == int.class) {
      return 0;
    }
    if (type == long.class) {
      return 0L;
    }
    return null;
  }

  /** The request body, already read in full by Vert.x. */
  private static final class BodyStream extends ServletInputStream {
    private final byte[] data;
    private int pos;

    BodyStream(byte[] data) {
      this.data = data;
    }

    @Override
    public int read() {
      return pos < data.length ? data[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= data.length) {
        return -1;
      }
      int n = Math.min(Math.min(len, b.length - off), data.length - pos);
      System.arraycopy(data, pos, b, off, n);
      pos += n;
      return n;
    }

    @Override
    public boolean isFinished() {
      return pos >= data.length;
    }

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public void setReadListener(ReadListener readListener) {
      throw new UnsupportedOperationException();
    }
  }

  /** Collects the response body; it is sent when the exchange ends. */
  private final class ResponseStream extends ServletOutputStream {
    @Override
    public void write(int b) {
      synchronized (PollingExchange.this) {
        out.write(b);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) {
      synchronized (PollingExchange.this) {
        out.write(b, off, len);
      }
    }

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public void setWriteListener(WriteListener writeListener) {
      throw new UnsupportedOperationException();
    }
  }
}
