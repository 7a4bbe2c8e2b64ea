package dev.livestate.testkit.websocket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The text frames a {@link WebSocketClient} received, in arrival order with their arrival times,
 * and the waits on them: take the next match (each frame at most once), or find the first match
 * from a position (nothing taken). A frame's JSON is read once, when first asked for; a frame that
 * is not JSON is passed over by the JSON reads. A wait that finds nothing within its bound fails
 * the test with everything received. Thread-safe: frames are added on the receiving thread.
 */
final class ReceivedFrames {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final class Frame {
    final String text;
    final long arrivedAt;
    boolean taken;
    boolean read;
    JsonNode json;

    Frame(String text, long arrivedAt) {
      this.text = text;
      this.arrivedAt = arrivedAt;
    }

    JsonNode json() {
      if (!read) {
        read = true;
        try {
          json = JSON.readTree(text);
        } catch (JsonProcessingException e) {
          json = null;
        }
      }
      return json;
    }
  }

  private interface Search<T> {
    T find();
  }

  private final List<Frame> frames = new ArrayList<>();
  private final String source;
  private final Duration wait;
  private String ended;

  /** Frames from {@code source} (named in failures); a wait lasts {@code wait} by default. */
  ReceivedFrames(String source, Duration wait) {
    this.source = source;
    this.wait = wait;
  }

  synchronized void add(String text, long arrivedAt) {
    frames.add(new Frame(text, arrivedAt));
    notifyAll();
  }

  /** Notes how the connection ended, for the failure message of a wait that finds nothing. */
  synchronized void ended(String how) {
    ended = how;
    notifyAll();
  }

  // ---- take the next match

  synchronized String nextText(Predicate<String> test) {
    return waitFor("a frame", wait.toMillis(), () -> {
      for (Frame f : frames) {
        if (!f.taken && test.test(f.text)) {
          f.taken = true;
          return f.text;
        }
      }
      return null;
    });
  }

  synchronized JsonNode await(Predicate<JsonNode> test, long timeoutMillis) {
    return waitFor("a message", timeoutMillis, () -> take(test));
  }

  synchronized JsonNode poll() {
    return take(message -> true);
  }

  private JsonNode take(Predicate<JsonNode> test) {
    for (Frame f : frames) {
      if (!f.taken && f.json() != null && test.test(f.json())) {
        f.taken = true;
        return f.json();
      }
    }
    return null;
  }

  synchronized List<JsonNode> notTaken() {
    return frames.stream().filter(f -> !f.taken && f.json() != null).map(Frame::json).toList();
  }

  // ---- find by position

  synchronized int count() {
    return frames.size();
  }

  synchronized List<String> texts() {
    return frames.stream().map(f -> f.text).toList();
  }

  synchronized List<JsonNode> messages() {
    return frames.stream().map(Frame::json).filter(Objects::nonNull).toList();
  }

  synchronized JsonNode awaitFrom(int from, Predicate<JsonNode> test) {
    return waitFor("a message from position " + from, wait.toMillis(), () -> {
      for (int i = from; i < frames.size(); i++) {
        JsonNode json = frames.get(i).json();
        if (json != null && test.test(json)) {
          return json;
        }
      }
      return null;
    });
  }

  synchronized <T> T awaitMessages(Function<List<JsonNode>, T> look) {
    return waitFor("what was looked for", wait.toMillis(), () -> look.apply(messages()));
  }

  synchronized long arrivedAt(JsonNode message) {
    for (Frame f : frames) {
      if (f.json == message) {
        return f.arrivedAt;
      }
    }
    throw new IllegalArgumentException("not a message of this client: " + message);
  }

  /** Runs {@code search} each time a frame comes (or the connection ends) until it finds. */
  private <T> T waitFor(String what, long timeoutMillis, Search<T> search) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    T found;
    while ((found = search.find()) == null) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("no such " + what + " within " + timeoutMillis + " ms from "
            + source + (ended != null ? " (" + ended + ")" : "") + "; received " + texts());
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
    return found;
  }
}
