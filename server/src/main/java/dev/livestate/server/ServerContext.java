package dev.livestate.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.engine.Engine;
import dev.livestate.server.config.Settings;
import dev.livestate.server.http.Limits;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/** What a surface gets to mount itself: the engine, the router, settings and shared limits. */
public record ServerContext(
    Vertx vertx, Router router, Engine engine, Settings settings, ObjectMapper json, Limits limits) {}
