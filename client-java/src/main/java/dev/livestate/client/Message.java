package dev.livestate.client;

import com.fasterxml.jackson.databind.JsonNode;

/** A message of a room's stream: its id, its time in epoch milliseconds, and its body. */
public record Message(long id, long time, JsonNode body) {}
