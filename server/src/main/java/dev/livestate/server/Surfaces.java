package dev.livestate.server;

import dev.livestate.server.adapter.meet.MeetSurface;
import dev.livestate.server.adapter.nativews.NativeSurface;
import dev.livestate.server.adapter.rest.RestSurface;
import dev.livestate.server.adapter.sharedstate.SharedStateSurface;
import dev.livestate.server.adapter.synk.SynkSurface;
import dev.livestate.server.adapter.userstatus.StatusSurface;
import dev.livestate.server.adapter.uisync.UiSyncSurface;
import java.util.List;

/** Every surface the server mounts, in mount order. */
final class Surfaces {
  private Surfaces() {}

  static List<Surface> all() {
    return List.of(
        new NativeSurface(),
        new RestSurface(),
        new StatusSurface(),
        new SynkSurface(),
        new MeetSurface(),
        new SharedStateSurface(),
        new UiSyncSurface());
  }
}
