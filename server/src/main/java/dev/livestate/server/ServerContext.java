package dev.livestate.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.engine.Engine;
import dev.livestate.server.auth.Gate;
import dev.livestate.server.guard.ClientRates;
import dev.livestate.server.guard.Quotas;
import dev.livestate.server.guard.RoomCreations;
import dev.livestate.server.http.ClientAddresses;
import dev.livestate.server.http.ConnectedClients;
import dev.livestate.server.http.ErrorShapes;
import dev.livestate.server.http.Limits;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/**
 * What a surface gets to mount itself: the engine, the router and what every surface shares —
 * the limits, the auth mode every door checks, the count of rooms created, and each HTTP
 * client's allowance of changes (shared by the HTTP surfaces, as a client's requests may come on
 * any connection), and the error shapes where it claims its paths. Its own settings it got as a
 * typed config when it was built. {@code node} is this server's name in its cluster, null on a
 * single node. {@code clients} lists who is connected, for the console. {@code addresses}
 * decides a client's address, the one every per-address limit and log uses.
 */
public record ServerContext(Vertx vertx, Router router, Engine engine, ObjectMapper json,
    Limits limits, Quotas quotas, Gate gate, RoomCreations creations,
    ClientRates changesByClient, ErrorShapes errorShapes, String node,
    ConnectedClients clients, ClientAddresses addresses) {}
