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
import dev.livestate.server.auth.AuthConfig;
import dev.livestate.server.config.ServerSettings;
import dev.livestate.server.config.Setting;
import dev.livestate.server.config.Settings;
import dev.livestate.server.http.Cors;
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

  /** Builds every surface; a surface that opens stores of its own may block and fail here. */
  static List<Surface> create(Settings s, StoreFactory stores) throws Exception {
    Cors cors = Cors.allowing(s.get(ServerSettings.CORS_ORIGINS));
    return List.of(
        new NativeSurface(NativeConfig.from(s), AuthConfig.from(s).clientIdTtl()),
        new RestSurface(cors),
        new StatusSurface(StatusConfig.from(s), cors),
        new SynkSurface(SynkConfig.from(s), cors),
        new MeetSurface(MeetConfig.from(s), cors),
        new SharedStateSurface(SharedStateConfig.from(s), stores),
        new UiSyncSurface(UiSyncConfig.from(s)));
  }
}
