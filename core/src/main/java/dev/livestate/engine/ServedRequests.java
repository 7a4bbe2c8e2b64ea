package dev.livestate.engine;

/**
 * Serves a request another node handed over (decision 024) as the room's own method would for
 * a client of this node. The reply marks it as served for that node, so it is never handed on
 * again: if this node does not own the room after all, the asker hears so and tells its client.
 */
final class ServedRequests {
  private ServedRequests() {}

  @SuppressWarnings("unchecked")
  static <A> void serve(LiveRoom room, String from, RoomRequest<A> request, Reply<A> answer) {
    Reply<Object> reply = (Reply<Object>) new Attendance.Served<>(from, answer);
    if (request instanceof RoomRequest.Submit s) {
      room.submit(s.writer(), new Origin.Peer(from), s.proposals(), s.seenThrough(), as(reply));
    } else if (request instanceof RoomRequest.ClaimLeader c) {
      room.claimLeader(c.clientId(), c.identity(), as(reply));
    } else if (request instanceof RoomRequest.ReleaseLeader r) {
      room.releaseLeader(r.clientId(), as(reply));
    } else if (request instanceof RoomRequest.LeaderLeft l) {
      room.leaderLeft(l.clientId(), l.grace(), as(reply));
    } else if (request instanceof RoomRequest.SetPresence p) {
      room.setPresence(p.clientId(), p.data(), as(reply));
    } else if (request instanceof RoomRequest.TouchPresence t) {
      room.touchPresence(t.clientId(), as(reply));
    } else if (request instanceof RoomRequest.RemovePresence r) {
      room.removePresence(r.clientId(), as(reply));
    } else if (request instanceof RoomRequest.Presence) {
      room.presence(as(reply));
    } else if (request instanceof RoomRequest.Publish p) {
      room.publish(p.time(), p.body(), as(reply));
    } else if (request instanceof RoomRequest.ReadStream r) {
      room.readStream(r.from(), r.to(), as(reply));
    } else if (request instanceof RoomRequest.PutAttribute p) {
      room.putAttribute(p.key(), p.value(), as(reply));
    } else if (request instanceof RoomRequest.Seal) {
      room.seal(as(reply));
    } else if (request instanceof RoomRequest.Delete) {
      room.delete(as(reply));
    } else if (request instanceof RoomRequest.WhenCommitted) {
      room.whenCommitted(as(reply));
    } else if (request instanceof RoomRequest.Company) {
      room.company(as(reply));
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> Reply<T> as(Reply<Object> reply) {
    return (Reply<T>) (Reply<?>) reply;
  }
}
