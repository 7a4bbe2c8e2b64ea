package dev.livestate.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * This client's change to {@code key} lost a conflict: {@code mine} was refused (null: a delete)
 * and {@code winner} stands in the room (null when the server gave no winning value, as for a
 * refusal repeated after a restart).
 */
public record Conflict(String key, JsonNode mine, JsonNode winner) {}
