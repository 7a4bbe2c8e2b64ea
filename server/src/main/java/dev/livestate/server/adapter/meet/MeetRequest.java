package dev.livestate.server.adapter.meet;

import dev.livestate.op.Json;
import java.util.List;
import java.util.Map;

/** What an OpenLifter client sends, decoded and validated by {@link MeetCodec}. */
sealed interface MeetRequest {

  /**
   * CREATE_MEET: a new meet with its locations' fixed priorities. {@code meetId} is set only to
   * re-create a meet the server lost (see docs/compat/openlifter.md, "Recovery").
   */
  record CreateMeet(String thisLocationName, String password, Map<String, Integer> endpoints,
      String meetId) implements MeetRequest {}

  /** JOIN_MEET; {@code displayOnly} joins read-only, where {@code locationName} is optional. */
  record JoinMeet(String meetId, String password, String locationName, boolean displayOnly)
      implements MeetRequest {}

  /** UPDATE_INIT; {@code serverEpoch} is the optional epoch the client's seqs belong to. */
  record UpdateInit(String sessionToken, List<Update> updates, String serverEpoch)
      implements MeetRequest {}

  /** One entry of UPDATE_INIT. */
  record Update(String updateKey, Json updateValue, long localSeqNum, long afterServerSeqNum) {}

  /** CLIENT_PULL; {@code serverEpoch} is optional (without it seqs are checked alone). */
  record ClientPull(String sessionToken, long lastServerSeq, String serverEpoch)
      implements MeetRequest {}

  /** PUBLISH_MEET. */
  record PublishMeet(String sessionToken, String returnEmail, String oplCsv)
      implements MeetRequest {}
}
