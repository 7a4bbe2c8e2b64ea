package dev.livestate.server.adapter.meet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.op.Json;
import dev.livestate.protocol.LoneSurrogates;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The OpenLifter live-meet wire format, inbound: JSON objects with a {@code msgType}, decoded and
 * validated into {@link MeetRequest} records (throwing {@link Malformed} or {@link UnknownType}).
 * What the server sends is written by {@link MeetMessages}. No I/O.
 */
final class MeetCodec {
  static final int MAX_NAME = 200;
  static final int MAX_KEY = 1000;
  static final int MAX_LOCATIONS = 100;
  static final int MAX_UPDATES = 10_000;
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,255}");

  /** A message that is not valid JSON or lacks a field: answered with MALFORMED_MESSAGE. */
  static final class Malformed extends RuntimeException {
    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  /** A well-formed message of a type this server does not take: UNKNOWN_MESSAGE_TYPE. */
  static final class UnknownType extends RuntimeException {
    final String msgType;

    UnknownType(String msgType) {
      super(msgType, null, false, false);
      this.msgType = msgType;
    }
  }

  private final ObjectMapper json;

  MeetCodec(ObjectMapper json) {
    this.json = json;
  }

  MeetRequest decode(String text) {
    JsonNode root;
    try {
      root = json.readTree(text);
    } catch (JsonProcessingException e) {
      throw new Malformed(e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new Malformed("a message must be a JSON object");
    }
    LoneSurrogates.refusal(root).ifPresent(m -> {
      throw new Malformed(m);
    });
    String type = text(root, "msgType");
    switch (type) {
      case "CREATE_MEET": {
        JsonNode list = root.has("endpoints") ? root.get("endpoints") : root.get("locations");
        String meetId = root.hasNonNull("meetId")
            ? Tokens.normalizeMeetId(text(root, "meetId")) : null;
        if (meetId != null && !Tokens.isMeetId(meetId)) {
          throw new Malformed("'meetId' must be 9 digits");
        }
        return new MeetRequest.CreateMeet(name(root, "thisLocationName"), password(root),
            endpoints(list), meetId);
      }
      case "JOIN_MEET": {
        boolean display = root.path("displayOnly").asBoolean(false);
        String location = display && !root.hasNonNull("locationName")
            ? null : name(root, "locationName");
        return new MeetRequest.JoinMeet(Tokens.normalizeMeetId(text(root, "meetId")),
            password(root), location, display);
      }
      case "UPDATE_INIT":
        return new MeetRequest.UpdateInit(text(root, "sessionToken"), updates(root),
            optText(root, "serverEpoch"));
      case "CLIENT_PULL":
        return new MeetRequest.ClientPull(text(root, "sessionToken"),
            seq(root, "lastServerSeq"), optText(root, "serverEpoch"));
      case "PUBLISH_MEET": {
        String email = text(root, "returnEmail");
        if (!EMAIL.matcher(email).matches()) {
          throw new Malformed("'returnEmail' is not an email address");
        }
        return new MeetRequest.PublishMeet(text(root, "sessionToken"), email,
            text(root, "oplCsv"));
      }
      default:
        throw new UnknownType(type);
    }
  }

  private static String password(JsonNode root) {
    JsonNode p = root.has("password") ? root.get("password") : root.get("Password");
    if (p == null || !p.isTextual()) {
      throw new Malformed("'password' must be a string");
    }
    if (p.textValue().length() > Passwords.MAX_LENGTH) {
      throw new Malformed("'password' is longer than " + Passwords.MAX_LENGTH + " characters");
    }
    return p.textValue();
  }

  private static Map<String, Integer> endpoints(JsonNode list) {
    if (list == null || !list.isArray() || list.isEmpty()) {
      throw new Malformed("'endpoints' must be a non-empty array of {locationName, priority}");
    }
    if (list.size() > MAX_LOCATIONS) {
      throw new Malformed("at most " + MAX_LOCATIONS + " locations");
    }
    Map<String, Integer> out = new LinkedHashMap<>();
    for (JsonNode e : list) {
      if (!e.isObject()) {
        throw new Malformed("each endpoint must be {locationName, priority}");
      }
      JsonNode p = e.get("priority");
      if (p == null || !p.isIntegralNumber() || !p.canConvertToInt()) {
        throw new Malformed("'priority' must be an integer");
      }
      if (out.put(name(e, "locationName"), p.intValue()) != null) {
        throw new Malformed("location '" + e.get("locationName").textValue() + "' is listed twice");
      }
    }
    return out;
  }

  private static List<MeetRequest.Update> updates(JsonNode root) {
    JsonNode list = root.get("updates");
    if (list == null || !list.isArray()) {
      throw new Malformed("'updates' must be an array");
    }
    if (list.size() > MAX_UPDATES) {
      throw new Malformed("at most " + MAX_UPDATES + " updates per message");
    }
    List<MeetRequest.Update> out = new ArrayList<>(list.size());
    for (JsonNode u : list) {
      if (!u.isObject()) {
        throw new Malformed("each update must be an object");
      }
      String key = text(u, "updateKey");
      if (key.isEmpty() || key.length() > MAX_KEY) {
        throw new Malformed("'updateKey' must be 1.." + MAX_KEY + " characters");
      }
      if (!u.has("updateValue")) {
        throw new Malformed("'updateValue' is missing");
      }
      out.add(new MeetRequest.Update(key, new Json(u.get("updateValue").toString()),
          seq(u, "localSeqNum"), seq(u, "afterServerSeqNum")));
    }
    return out;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new Malformed("'" + field + "' must be a string");
    }
    return v.textValue();
  }

  private static String optText(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : text(n, field);
  }

  private static String name(JsonNode n, String field) {
    String s = text(n, field);
    if (s.isBlank() || s.length() > MAX_NAME) {
      throw new Malformed("'" + field + "' must be 1.." + MAX_NAME + " characters");
    }
    return s;
  }

  private static long seq(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
      throw new Malformed("'" + field + "' must be an integer >= 0");
    }
    return v.longValue();
  }
}
