package dev.livestate.server.adapter.meet;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/** Bursts of concurrent requests from many real meet connections, and counting their answers. */
final class MeetBursts {
  private MeetBursts() {}

  /**
   * Sends {@code each} copies of {@code message} on every client, each client from a thread of
   * its own, all released at once; returns when every one was sent.
   */
  static void sendAtOnce(List<MeetClient> clients, int each, JsonNode message)
      throws InterruptedException {
    sendAtOnce(clients, each, n -> message);
  }

  /**
   * As {@link #sendAtOnce(List, int, JsonNode)}, the n-th message of the burst (0, 1, ... across
   * all the clients) made by {@code message}.
   */
  static void sendAtOnce(List<MeetClient> clients, int each, IntFunction<JsonNode> message)
      throws InterruptedException {
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> senders = new ArrayList<>();
    for (int k = 0; k < clients.size(); k++) {
      MeetClient c = clients.get(k);
      int first = k * each;
      Thread sender = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        for (int i = 0; i < each; i++) {
          c.send(message.apply(first + i));
        }
      }, "burst-sender");
      sender.start();
      senders.add(sender);
    }
    go.countDown();
    for (Thread t : senders) {
      t.join();
    }
  }

  /** Waits until every client has received {@code each} messages of any of {@code types}. */
  static void awaitAnswers(List<MeetClient> clients, int each, String... types) {
    await(() -> clients.stream().allMatch(c -> answers(c, types).size() >= each),
        Duration.ofSeconds(60), () -> "answers so far: " + tally(clients, types, m -> m));
  }

  static List<JsonNode> answers(MeetClient c, String... types) {
    return c.received().stream().filter(m -> List.of(types).contains(m.path("msgType").asText()))
        .toList();
  }

  /** How many answers of the clients had each value of {@code key}, e.g. each reason. */
  static Map<String, Integer> tally(List<MeetClient> clients, String[] types,
      Function<JsonNode, Object> key) {
    Map<String, Integer> out = new TreeMap<>();
    for (MeetClient c : clients) {
      for (JsonNode m : answers(c, types)) {
        out.merge(String.valueOf(key.apply(m)), 1, Integer::sum);
      }
    }
    return out;
  }

  /** Waits for {@code condition}, looking every few milliseconds; fails after {@code limit}. */
  static void await(BooleanSupplier condition, Duration limit, Supplier<String> state) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + limit + "; " + state.get());
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted");
      }
    }
  }
}
