package dev.livestate.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.engine.Engine;
import dev.livestate.server.http.Limits;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/**
 * What a surface gets to mount itself: the engine, the router and what every surface shares.
 * Its own settings it got as a typed config when it was built.
 */
public record ServerContext(Vertx vertx, Router router, Engine engine, ObjectMapper json,
    Limits limits) {}
