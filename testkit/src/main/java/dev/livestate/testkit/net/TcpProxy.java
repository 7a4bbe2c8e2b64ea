package dev.livestate.testkit.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on a free local port to {@code host:port}. {@link #cut} closes every link and
 * refuses new ones (accepted, then closed at once, as a service that went away) until
 * {@link #restore}. Blocking sockets, two daemon threads per link: for tests only.
 */
public final class TcpProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean cut;

  private TcpProxy(InetSocketAddress target) throws IOException {
    this.target = target;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accepting = new Thread(this::accept, "tcp-proxy-" + listener.getLocalPort());
    accepting.setDaemon(true);
    accepting.start();
  }

  public static TcpProxy to(String host, int port) {
    try {
      return new TcpProxy(new InetSocketAddress(host, port));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The local port clients should connect to. */
  public int port() {
    return listener.getLocalPort();
  }

  /** Drops every link and refuses new ones. */
  public void cut() {
    cut = true;
    open.forEach(TcpProxy::closeQuietly);
    open.clear();
  }

  /** Lets new links through again. */
  public void restore() {
    cut = false;
  }

  private void accept() {
    while (!listener.isClosed()) {
      Socket inbound;
      try {
        inbound = listener.accept();
      } catch (IOException e) {
        return;
      }
      if (cut) {
        closeQuietly(inbound);
        continue;
      }
      try {
        Socket outbound = new Socket(target.getAddress(), target.getPort());
        open.add(inbound);
        open.add(outbound);
        pipe(inbound, outbound);
        pipe(outbound, inbound);
      } catch (IOException e) {
        closeQuietly(inbound);
      }
    }
  }

  private void pipe(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // the link was cut or one side went away: both sides close below
      } finally {
        closeQuietly(from);
        closeQuietly(to);
        open.remove(from);
        open.remove(to);
      }
    }, "tcp-proxy-link");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing a socket that is already gone
    }
  }

  @Override
  public void close() {
    cut();
    try {
      listener.close();
    } catch (IOException e) {
      // the listener is gone either way
    }
  }
}
