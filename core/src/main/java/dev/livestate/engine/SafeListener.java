package dev.livestate.engine;

import dev.livestate.sync.Outcome;
import java.util.List;

/** Calls a listener so that whatever it throws is logged and goes no further. */
final class SafeListener implements EngineListener {
  private static final System.Logger LOG = System.getLogger(SafeListener.class.getName());

  private final EngineListener inner;

  private SafeListener(EngineListener inner) {
    this.inner = inner;
  }

  static EngineListener of(EngineListener listener) {
    return listener == NONE || listener instanceof SafeListener ? listener : new SafeListener(listener);
  }

  // Each call catches inline rather than through a shared lambda: delivery events come once per
  // broadcast, and a capturing lambda would allocate each time.
  private static final String FAILED = "an engine listener failed";

  @Override
  public void roomOpened(String room) {
    try {
      inner.roomOpened(room);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, FAILED, e);
    }
  }

  @Override
  public void roomDeleted(String room) {
    try {
      inner.roomDeleted(room);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, FAILED, e);
    }
  }

  @Override
  public void submitStart(String room, int proposals) {
    try {
      inner.submitStart(room, proposals);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, FAILED, e);
    }
  }

  @Override
  public void submitEnd(String room, List<Outcome> outcomes, long nanos) {
    try {
      inner.submitEnd(room, outcomes, nanos);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, FAILED, e);
    }
  }

  @Override
  public void commitStart(String room) {
    try {
      inner.commitStart(room);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, FAILED, e);
    }
  }

  @Override
  public void commitEnd(String room, long nanos, Throwable failure) {
    try {
      inner.commitEnd(room, nanos, failure);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, FAILED, e);
    }
  }

  @Override
  public void deliveryStart(String room, RoomEvent event) {
    try {
      inner.deliveryStart(room, event);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, FAILED, e);
    }
  }

  @Override
  public void deliveryEnd(String room, RoomEvent event, int subscribers, long nanos) {
    try {
      inner.deliveryEnd(room, event, subscribers, nanos);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, FAILED, e);
    }
  }

  @Override
  public void connectionOpened(String surface) {
    try {
      inner.connectionOpened(surface);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, FAILED, e);
    }
  }

  @Override
  public void connectionClosed(String surface, String reason) {
    try {
      inner.connectionClosed(surface, reason);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, FAILED, e);
    }
  }
}
