package dev.livestate.server.adapter.sharedstate;

import dev.livestate.op.Change;
import java.util.List;

/**
 * A request of the shared-state protocol, decoded and validated. {@code tunnel} is the client's
 * correlation value as raw JSON text (null when the request had none); it is echoed in the reply.
 */
sealed interface SharedStateRequest {
  String tunnel();

  /** {@code GET /}: the names of the services. */
  record ListServices(String tunnel) implements SharedStateRequest {}

  /** {@code GET /subs}: this connection's subscriptions. */
  record GetSubs(String tunnel) implements SharedStateRequest {}

  /** {@code GET /clock}: the server's time in epoch seconds. */
  record Clock(String tunnel) implements SharedStateRequest {}

  /** {@code GET /app/service/collection}: every item. */
  record GetCollection(String tunnel, CollectionPath path) implements SharedStateRequest {}

  /** One subscription: the path as the client spelled it, its collection and options (JSON). */
  record Sub(String spelling, CollectionPath path, String options) {}

  /** {@code PUT /subs}: replaces every subscription of the connection. */
  record PutSubs(String tunnel, List<Sub> subs) implements SharedStateRequest {}

  /**
   * {@code PUT /app/service/collection}: one atomic change ({@code change} is null for a no-op),
   * touching {@code touched} distinct ids.
   */
  record Update(String tunnel, CollectionPath path, Change change, int touched)
      implements SharedStateRequest {}
}
