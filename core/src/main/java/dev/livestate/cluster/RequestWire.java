package dev.livestate.cluster;

import dev.livestate.engine.Peers;
import dev.livestate.engine.RoomRequest;

/**
 * How a room's request handed to its owner, the owner's answer, and the owner's events travel
 * as text over the {@link Bus} (decisions 023, 024). The core has no JSON library, so the server
 * supplies the text form. A value's text must come out exactly as it went in: the owner stores
 * it, and other nodes hand it on, as the client sent it.
 */
public interface RequestWire {

  /** A request and the room it is for. */
  record Addressed<A>(String room, RoomRequest<A> request) {}

  String request(String room, RoomRequest<?> request);

  /** The request {@code text} holds; an {@link IllegalArgumentException} when it holds none. */
  Addressed<?> parseRequest(String text);

  /** The text of {@code answer}, the answer to {@code request}. */
  <A> String answer(RoomRequest<A> request, A answer);

  /** The answer to {@code request} in {@code text}; else an IllegalArgumentException. */
  <A> A parseAnswer(RoomRequest<A> request, String text);

  /** The text of an event (its {@code node} is not written: the bus tells who sent it). */
  String told(Peers.Told told);

  /** The event in {@code text}, as {@code node} told it; else an IllegalArgumentException. */
  Peers.Told parseTold(String node, String text);
}
