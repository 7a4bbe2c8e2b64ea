package dev.livestate.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when told to: with {@link Lanes#direct()} it makes an engine
 * deterministic, for tests and simulations of any module (it ships with the engine for the same
 * reason the direct lanes do). Thread-safe; clocks made by {@link #withZone} share the same time.
 */
public final class ManualClock extends Clock {
  private final AtomicLong millis;
  private final ZoneId zone;

  /** Starts at {@code startMillis} (epoch millis), in UTC. */
  public ManualClock(long startMillis) {
    this(new AtomicLong(startMillis), ZoneOffset.UTC);
  }

  /** Starts at 2024-01-01T00:00:00Z. */
  public ManualClock() {
    this(Instant.parse("2024-01-01T00:00:00Z").toEpochMilli());
  }

  private ManualClock(AtomicLong millis, ZoneId zone) {
    this.millis = millis;
    this.zone = zone;
  }

  @Override
  public long millis() {
    return millis.get();
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis.get());
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return new ManualClock(millis, zone);
  }

  /** Sets the time to {@code epochMillis}; it may go backwards, as a real clock can. */
  public void set(long epochMillis) {
    millis.set(epochMillis);
  }

  /** Moves the time on by {@code delta} and returns the new time. */
  public long advance(Duration delta) {
    return millis.addAndGet(delta.toMillis());
  }

  /** Moves the time on by {@code deltaMillis} and returns the new time. */
  public long advanceMillis(long deltaMillis) {
    return millis.addAndGet(deltaMillis);
  }

  @Override
  public String toString() {
    return "ManualClock[" + instant() + "]";
  }
}
