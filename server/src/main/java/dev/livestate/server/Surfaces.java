package dev.livestate.server;

import java.util.List;

/** Every surface the server mounts, in mount order. */
final class Surfaces {
  private Surfaces() {}

  static List<Surface> all() {
    return List.of();
  }
}
