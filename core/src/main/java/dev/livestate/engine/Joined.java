package dev.livestate.engine;

import dev.livestate.op.Json;
import dev.livestate.sync.CatchUp;
import java.util.Map;

/** What a client gets on joining a room: its catch-up, who leads, and who is present. */
public record Joined(CatchUp catchUp, String leader, Map<String, Json> presence, boolean sealed) {}
