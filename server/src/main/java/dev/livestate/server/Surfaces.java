package dev.livestate.server;

import dev.livestate.server.adapter.nativews.NativeSurface;
import dev.livestate.server.adapter.rest.RestSurface;
import dev.livestate.server.adapter.uisync.UiSyncSurface;
import java.util.List;

/** Every surface the server mounts, in mount order. */
final class Surfaces {
  private Surfaces() {}

  static List<Surface> all() {
    return List.of(
        new NativeSurface(),
        new RestSurface(),
        new UiSyncSurface());
  }
}
