package dev.livestate.server;

import dev.livestate.server.adapter.meet.MeetConfig;
import dev.livestate.server.adapter.meet.MeetSurface;
import dev.livestate.server.adapter.nativews.NativeConfig;
import dev.livestate.server.adapter.nativews.NativeSurface;
import dev.livestate.server.adapter.rest.RestSurface;
import dev.livestate.server.adapter.sharedstate.SharedStateConfig;
import dev.livestate.server.adapter.sharedstate.SharedStateSurface;
import dev.livestate.server.adapter.synk.SynkConfig;
import dev.livestate.server.adapter.synk.SynkSurface;
import dev.livestate.server.adapter.uisync.UiSyncConfig;
import dev.livestate.server.adapter.uisync.UiSyncSurface;
import dev.livestate.server.adapter.userstatus.StatusConfig;
import dev.livestate.server.adapter.userstatus.StatusSurface;
import dev.livestate.server.auth.Access;
import dev.livestate.server.auth.AuthConfig;
import dev.livestate.server.config.Setting;
import dev.livestate.server.config.Settings;
import dev.livestate.server.store.StoreFactory;
import java.util.ArrayList;
import java.util.List;

/** Every surface the server mounts, in mount order, each built from its own typed config. */
final class Surfaces {
  private Surfaces() {}

  /** The settings of every surface, in the order {@code --help} lists them. */
  static List<Setting<?>> settings() {
    List<Setting<?>> all = new ArrayList<>(NativeConfig.settings());
    all.addAll(StatusConfig.settings());
    all.addAll(SynkConfig.settings());
    all.addAll(MeetConfig.settings());
    all.addAll(SharedStateConfig.settings());
    all.addAll(UiSyncConfig.settings());
    return all;
  }

  /** The compatibility surfaces that may be closed, by their {@code <surface>.access}. */
  private static final List<Setting<Access>> ACCESS = List.of(UiSyncConfig.ACCESS,
      StatusConfig.ACCESS, SharedStateConfig.ACCESS, SynkConfig.ACCESS);

  /**
   * Builds every surface; a surface that opens stores of its own may block and fail here.
   *
   * @throws IllegalArgumentException a surface closed with tokens on a server with no key
   */
  static List<Surface> create(Settings s, StoreFactory stores) throws Exception {
    boolean keyed = AuthConfig.from(s).tokens();
    for (Setting<Access> access : ACCESS) {
      if (s.get(access) == Access.TOKEN && !keyed) {
        throw new IllegalArgumentException(access.key() + "=token needs a key to verify tokens"
            + " with: set auth.hmac-secret or auth.public-keys");
      }
    }
    NativeConfig nativeDoor = NativeConfig.from(s);
    return List.of(
        new NativeSurface(nativeDoor, AuthConfig.from(s).clientIdTtl()),
        new RestSurface(nativeDoor.origins()),
        new StatusSurface(StatusConfig.from(s)),
        new SynkSurface(SynkConfig.from(s)),
        new MeetSurface(MeetConfig.from(s)),
        new SharedStateSurface(SharedStateConfig.from(s), stores),
        new UiSyncSurface(UiSyncConfig.from(s)));
  }

  /** What the start-up log says of who may use the surfaces: pages by origin, open or closed. */
  static List<String> describeAccess(Settings s) {
    String origins = "pages allowed (Origin): native door and HTTP API "
        + NativeConfig.from(s).origins() + "; uisync " + UiSyncConfig.from(s).origins()
        + "; userstatus " + StatusConfig.from(s).origins() + "; sharedstate "
        + SharedStateConfig.from(s).origins() + "; meet " + MeetConfig.from(s).origins()
        + "; synk " + SynkConfig.from(s).origins();
    List<String> open = new ArrayList<>();
    List<String> closed = new ArrayList<>();
    for (Setting<Access> access : ACCESS) {
      String surface = access.key().substring(0, access.key().indexOf('.'));
      (s.get(access) == Access.TOKEN ? closed : open).add(surface);
    }
    List<String> lines = new ArrayList<>(List.of(origins));
    if (!open.isEmpty()) {
      lines.add("open to anyone, as their originals were: " + String.join(", ", open)
          + " (close one with <surface>.access=token)");
    }
    if (!closed.isEmpty()) {
      lines.add("closed, a token granting their rooms required: " + String.join(", ", closed));
    }
    return lines;
  }
}
