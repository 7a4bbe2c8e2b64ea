package dev.livestate.client;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The listeners of one kind of event. A listener that throws is logged and the others still
 * hear the event: one faulty listener must not stop the client's thread.
 */
final class Listeners<T> {
  private static final System.Logger LOG = System.getLogger(Listeners.class.getName());

  private final List<Consumer<? super T>> list = new CopyOnWriteArrayList<>();

  /** Adds {@code listener}; running what this returns removes it again. */
  Runnable add(Consumer<? super T> listener) {
    list.add(listener);
    return () -> list.remove(listener);
  }

  void emit(T event) {
    for (Consumer<? super T> l : list) {
      try {
        l.accept(event);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "a livestate listener failed", e);
      }
    }
  }
}
