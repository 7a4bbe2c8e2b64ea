package dev.livestate.server.adapter.nativews;

import dev.livestate.engine.Engine;
import dev.livestate.protocol.RequestCodec;
import dev.livestate.server.auth.ClientIds;
import dev.livestate.server.auth.Gate;
import dev.livestate.server.guard.Quotas;
import dev.livestate.server.guard.RoomCreations;
import io.vertx.core.Vertx;

/**
 * What every native session of a server shares.
 *
 * @param clientIds open mode's held client ids; null in token mode, where the id is the token's
 *     subject
 */
record NativeDoor(Vertx vertx, Engine engine, RequestCodec codec, Gate gate, ClientIds clientIds,
    Quotas quotas, RoomCreations creations, int maxRooms) {}
