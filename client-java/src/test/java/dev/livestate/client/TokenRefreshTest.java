package dev.livestate.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livestate.room.Role;
import dev.livestate.room.RoomConfig;
import dev.livestate.server.TestServer;
import dev.livestate.server.auth.TestTokens;
import dev.livestate.testkit.await.Await;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * In token mode the client proves itself with the supplier's tokens and refreshes them in time.
 */
class TokenRefreshTest {
  @RegisterExtension
  static final TestServer SERVER = TestServer.perClass(TestTokens.tokenMode());

  @Test
  void shortLivedTokensAreRefreshedBeforeTheyExpireAndTheConnectionStays() throws Exception {
    AtomicInteger minted = new AtomicInteger();
    List<Status> statuses = new CopyOnWriteArrayList<>();
    try (LivestateClient client = new LivestateClient(ClientOptions.of(SERVER.ws("/ws"))
        .withToken(() -> {
          minted.incrementAndGet();
          return TestTokens.token("robot", null, Instant.now().plusSeconds(3),
              TestTokens.grant("lab-*", Role.WRITER, 0));
        }))) {
      client.onStatus(statuses::add);
      Room room = client.room("lab-1", RoomOptions.create(RoomConfig.DEFAULT));
      room.ready().get(15, TimeUnit.SECONDS);
      assertEquals("robot", client.clientId(), "the token's subject");

      Await.until("three refreshes", () -> minted.get() >= 4);
      assertEquals(1L, room.set("t", 1).get(15, TimeUnit.SECONDS));
      assertEquals(List.of(), statuses.stream().filter(s -> s == Status.OFFLINE).toList(),
          "never dropped for an expired token: " + statuses);
    }
  }
}
