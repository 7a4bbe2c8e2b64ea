package dev.livestate.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livestate.room.RoomConfig;
import dev.livestate.server.TestServer;
import dev.livestate.testkit.await.Await;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A connection that goes silent without closing (a NAT forgetting it, a laptop asleep) is noticed
 * by the client's pings, dropped and made again. Between the client and the server is a TCP
 * relay that can stop passing bytes on the connections it holds while keeping them open.
 */
class DeadConnectionTest {
  @RegisterExtension
  static final TestServer SERVER = TestServer.perClass();

  /** Relays TCP to the server; {@link #silence} stops every connection it holds so far. */
  private static final class Relay implements AutoCloseable {
    private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final List<Socket> silenced = new CopyOnWriteArrayList<>();

    Relay(int target) throws IOException {
      Thread accepting = new Thread(() -> {
        try {
          while (true) {
            Socket client = listener.accept();
            Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
            open.add(client);
            open.add(server);
            pump(client, server);
            pump(server, client);
          }
        } catch (IOException closed) {
          // the relay is closed
        }
      });
      accepting.setDaemon(true);
      accepting.start();
    }

    int port() {
      return listener.getLocalPort();
    }

    void silence() {
      silenced.addAll(open);
    }

    private void pump(Socket from, Socket to) {
      Thread t = new Thread(() -> {
        byte[] buffer = new byte[8192];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
          for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            if (silenced.contains(from)) {
              return;
            }
            out.write(buffer, 0, n);
          }
        } catch (IOException gone) {
          // one side closed
        }
      });
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void close() throws IOException {
      listener.close();
    }
  }

  @Test
  void aSilentConnectionIsDroppedByThePingsAndMadeAgain() throws Exception {
    List<Status> statuses = new CopyOnWriteArrayList<>();
    try (Relay relay = new Relay(SERVER.port());
        LivestateClient client = new LivestateClient(
            ClientOptions.of("ws://127.0.0.1:" + relay.port() + "/ws")
                .withPingInterval(Duration.ofMillis(300)))) {
      client.onStatus(statuses::add);
      Room room = client.room("quiet", RoomOptions.create(RoomConfig.DEFAULT));
      room.ready().get(15, TimeUnit.SECONDS);

      relay.silence();
      Await.until("the client gives the silent connection up",
          () -> statuses.contains(Status.OFFLINE));
      Await.until("online again on a new connection", () -> client.status() == Status.ONLINE);
      assertEquals(1L, room.set("k", "v").get(15, TimeUnit.SECONDS));
    }
  }
}
