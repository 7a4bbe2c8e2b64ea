package dev.livestate.server.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestate.access.Permit;
import dev.livestate.protocol.ErrorCode;
import dev.livestate.protocol.HttpApiCodec;
import dev.livestate.server.auth.Gate;
import dev.livestate.server.auth.InvalidToken;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/cluster}, for operators: the live nodes and the rooms each owns, as Redis
 * says now. An admin token's (or, with no key configured, anyone's); answered in the HTTP API's
 * error shape otherwise.
 */
public final class ClusterRoutes {
  private final ClusterNode node;
  private final Gate gate;
  private final ObjectMapper json;

  public ClusterRoutes(ClusterNode node, Gate gate, ObjectMapper json) {
    this.node = node;
    this.gate = gate;
    this.json = json;
  }

  public void mount(Router router) {
    router.get("/api/cluster").handler(this::cluster);
  }

  private void cluster(RoutingContext rc) {
    Permit permit;
    try {
      permit = gate.permit(Gate.bearer(rc.request().getHeader("Authorization")));
    } catch (InvalidToken e) {
      rc.response().putHeader("WWW-Authenticate", "Bearer");
      send(rc, 401, HttpApiCodec.error(ErrorCode.UNAUTHORIZED, e.getMessage()));
      return;
    }
    if (!permit.admin() && !permit.trusting()) {
      send(rc, 403, HttpApiCodec.error(ErrorCode.FORBIDDEN, "the cluster is an admin's view"));
      return;
    }
    node.nodes((nodes, failure) -> {
      if (failure != null) {
        unavailable(rc, failure);
        return;
      }
      node.owners((owners, f) -> {
        if (f != null) {
          unavailable(rc, f);
        } else {
          send(rc, 200, describe(nodes, owners));
        }
      });
    });
  }

  /** {"node": this one, "nodes": [{"node", "rooms": [...]}, ...]}: live nodes, in name order. */
  private String describe(List<String> nodes, Map<String, List<String>> owners) {
    ObjectNode body = json.createObjectNode();
    body.put("node", node.node());
    ArrayNode list = body.putArray("nodes");
    for (String n : nodes) {
      ObjectNode entry = list.addObject();
      entry.put("node", n);
      ArrayNode rooms = entry.putArray("rooms");
      owners.getOrDefault(n, List.of()).forEach(rooms::add);
    }
    return body.toString();
  }

  private void unavailable(RoutingContext rc, Throwable failure) {
    send(rc, 503, HttpApiCodec.error(ErrorCode.ROOM_FAILED,
        "the cluster's Redis did not answer: " + failure.getMessage()));
  }

  private static void send(RoutingContext rc, int status, String body) {
    rc.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
  }
}
