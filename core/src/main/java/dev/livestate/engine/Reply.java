package dev.livestate.engine;

/**
 * The answer to a request made of a room, called on the room's lane once what it reports is
 * committed: either a value, or the failure that prevented it (then value is null).
 */
@FunctionalInterface
public interface Reply<T> {
  void done(T value, Throwable failure);

  static <T> Reply<T> ignore() {
    return (v, f) -> {};
  }
}
