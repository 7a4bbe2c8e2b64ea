package dev.livestate.server.adapter.sharedstate;

import dev.livestate.engine.Engine;
import dev.livestate.server.auth.SurfaceAccess;

/**
 * What every shared-state session of a server shares.
 *
 * @param maxSubs subscriptions one connection may hold
 * @param access who may read and write which collection ({@code sharedstate.access})
 * @param changesPerSecond items one connection may update per second (0: no limit)
 */
record SharedStateDoor(Engine engine, SharedStateCodec codec, Services services, int maxSubs,
    SurfaceAccess access, double changesPerSecond) {}
