package dev.livestate.cluster;

import dev.livestate.engine.Peers;
import dev.livestate.sync.Outcome;
import java.util.List;

/**
 * How a submit handed to a room's owner, and the owner's answer, travel as text over the
 * {@link Bus} (decision 023). The core has no JSON library, so the server supplies the text
 * form. A value's text must come out exactly as it went in: the owner stores it as the client
 * sent it.
 */
public interface SubmitWire {

  /** A submit and the room it is for. */
  record Addressed(String room, Peers.Submit submit) {}

  String request(String room, Peers.Submit submit);

  /** The submit {@code text} holds; an {@link IllegalArgumentException} when it holds none. */
  Addressed parseRequest(String text);

  String answer(List<Outcome> outcomes);

  /** The outcomes {@code text} holds; an {@link IllegalArgumentException} when it holds none. */
  List<Outcome> parseAnswer(String text);
}
