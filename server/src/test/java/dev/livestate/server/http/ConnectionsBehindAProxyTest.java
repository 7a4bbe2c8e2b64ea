package dev.livestate.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livestate.server.TestServer;
import dev.livestate.testkit.database.Prerequisite;
import dev.livestate.testkit.await.Await;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code limits.max-connections-per-address} behind a balancer: with the balancer in {@code
 * net.trusted-proxies}, its connections count for the clients it forwards, each apart; a
 * forwarded address from a peer that is not trusted is not believed.
 */
class ConnectionsBehindAProxyTest {
  private static final String ANN = "198.51.100.1";
  private static final String BOB = "198.51.100.2";

  @TempDir Path dir;

  @Test
  void twoClientsOfATrustedProxyAreCountedApart() throws Exception {
    try (TestServer s = TestServer.start(Map.of("store", "memory",
        "net.trusted-proxies", "127.0.0.1, ::1", "limits.max-connections-per-address", "2"))) {
      List<WebSocketClient> open = new ArrayList<>();
      open.add(WebSocketClient.connectWithHeaders(s.ws("/ws"), "X-Forwarded-For", ANN));
      open.add(WebSocketClient.connectWithHeaders(s.ws("/sharedstate"),
          "X-Forwarded-For", "192.0.2.99, " + ANN));
      assertEquals(429, s.upgradeStatus("/ws", "X-Forwarded-For", ANN));
      assertEquals(429, s.upgradeStatus("/meet", "Forwarded", "for=" + ANN));
      assertEquals(101, s.upgradeStatus("/ws", "X-Forwarded-For", BOB));
      assertEquals(101, s.upgradeStatus("/ws"), "the proxy's own requests: its own address");
      open.remove(0).close();
      Await.until("a freed place", () -> s.upgradeStatus("/ws", "X-Forwarded-For", ANN) == 101);
      open.forEach(WebSocketClient::close);
    }
  }

  @Test
  void aKeptAliveProxyConnectionCountsForTheClientOfItsLatestRequest() throws Exception {
    try (TestServer s = TestServer.start(Map.of("store", "memory",
        "net.trusted-proxies", "127.0.0.1", "limits.max-connections-per-address", "2"));
        WebSocketClient ann = WebSocketClient.connectWithHeaders(s.ws("/ws"),
            "X-Forwarded-For", ANN);
        Socket pooled = new Socket("127.0.0.1", s.port())) {
      assertEquals("HTTP/1.1 200 OK", get(pooled, "/healthz", ANN));
      assertEquals(429, s.upgradeStatus("/ws", "X-Forwarded-For", ANN), "a WebSocket and it");
      assertEquals("HTTP/1.1 200 OK", get(pooled, "/healthz", BOB));
      assertEquals(101, s.upgradeStatus("/ws", "X-Forwarded-For", ANN),
          "the pooled connection went over to Bob");
    }
  }

  @Test
  void aForwardedAddressFromAPeerThatIsNotTrustedIsIgnored() throws Exception {
    for (String trusted : new String[] {"", "10.0.0.0/8"}) {
      try (TestServer s = TestServer.start(Map.of("store", "memory",
          "net.trusted-proxies", trusted, "limits.max-connections-per-address", "2"))) {
        List<WebSocketClient> open = new ArrayList<>();
        open.add(WebSocketClient.connectWithHeaders(s.ws("/ws"), "X-Forwarded-For", ANN));
        open.add(WebSocketClient.connectWithHeaders(s.ws("/ws"), "X-Forwarded-For", BOB));
        assertEquals(429, s.upgradeStatus("/ws", "X-Forwarded-For", "192.0.2.3",
            "Forwarded", "for=192.0.2.3"), "trusting '" + trusted + "': all are 127.0.0.1");
        open.forEach(WebSocketClient::close);
      }
    }
  }

  /**
   * Through a real nginx set up as deploy/nginx.conf sets up its balancer: clients on two
   * loopback addresses are counted apart, and one cannot pass for the other by writing the
   * other's address into its own X-Forwarded-For (nginx appends the address it saw).
   */
  @Test
  void throughNginxEachClientIsCountedByItsOwnAddress() throws Exception {
    Path nginx = Path.of("/usr/sbin/nginx");
    if (!Files.isExecutable(nginx)) {
      throw Prerequisite.missing("nginx is not installed (Debian: nginx-light)");
    }
    try (TestServer s = TestServer.start(Map.of("store", "memory",
        "net.trusted-proxies", "127.0.0.1", "limits.max-connections-per-address", "1"))) {
      int port = freePort();
      Files.writeString(dir.resolve("nginx.conf"), nginxConf(port, s.port()));
      Process balancer = new ProcessBuilder(nginx.toString(), "-p", dir.toString(),
          "-c", dir.resolve("nginx.conf").toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
      List<Socket> held = new ArrayList<>();
      try {
        Await.until("nginx listening", () -> canConnect(port));
        Socket first = connect(port, "127.0.0.2");
        held.add(first);
        assertEquals("HTTP/1.1 101 Switching Protocols", upgrade(first));
        Socket second = connect(port, "127.0.0.2");
        held.add(second);
        assertEquals("HTTP/1.1 429 Too Many Requests", upgrade(second));
        Socket other = connect(port, "127.0.0.3");
        held.add(other);
        assertEquals("HTTP/1.1 101 Switching Protocols",
            upgrade(other, "X-Forwarded-For: 127.0.0.2"), Files.readString(dir.resolve("nginx.out")));
      } finally {
        for (Socket socket : held) {
          socket.close();
        }
        balancer.destroy();
        balancer.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static String nginxConf(int port, int upstream) {
    return String.join("\n",
        "daemon off;",
        "master_process off;",
        "pid nginx.pid;",
        "error_log stderr warn;",
        "events {}",
        "http {",
        "  access_log off;",
        "  client_body_temp_path body;",
        "  proxy_temp_path proxy;",
        "  map $http_upgrade $connection_upgrade { default upgrade; '' close; }",
        "  server {",
        "    listen 127.0.0.1:" + port + ";",
        "    location / {",
        "      proxy_pass http://127.0.0.1:" + upstream + ";",
        "      proxy_http_version 1.1;",
        "      proxy_set_header Upgrade $http_upgrade;",
        "      proxy_set_header Connection $connection_upgrade;",
        "      proxy_set_header Host $host;",
        "      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "      proxy_buffering off;",
        "    }",
        "  }",
        "}",
        "");
  }

  /** A TCP connection to the balancer from {@code from}, a loopback address of its own. */
  private static Socket connect(int port, String from) throws IOException {
    Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), port,
        InetAddress.getByName(from), 0);
    socket.setSoTimeout(10_000);
    return socket;
  }

  /** Sends a WebSocket upgrade of /ws with these extra header lines; returns the status line. */
  private static String upgrade(Socket socket, String... headerLines) throws IOException {
    StringBuilder request = new StringBuilder("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n");
    for (String line : headerLines) {
      request.append(line).append("\r\n");
    }
    return send(socket, request.append("\r\n").toString());
  }

  /** A GET on a connection kept open, as a proxy's pool keeps it, for {@code client}. */
  private static String get(Socket socket, String path, String client) throws IOException {
    String status = send(socket, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "X-Forwarded-For: " + client + "\r\n\r\n");
    int length = 0;
    for (String line = readLine(socket); !line.isEmpty(); line = readLine(socket)) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring("content-length:".length()).strip());
      }
    }
    socket.getInputStream().readNBytes(length);
    return status;
  }

  private static String send(Socket socket, String request) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return readLine(socket);
  }

  private static String readLine(Socket socket) throws IOException {
    // byte by byte: the rest of the answer stays in the socket for the next read
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = socket.getInputStream().read()) >= 0 && c != '\n') {
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  private static boolean canConnect(int port) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
