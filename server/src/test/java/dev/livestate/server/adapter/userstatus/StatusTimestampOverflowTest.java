package dev.livestate.server.adapter.userstatus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.server.fuzz.WireAssertions;
import org.junit.jupiter.api.Test;

/**
 * A {@code newlog} timestamp too large for a double is out of range like any other: a 400 naming
 * the field, where it used to escape as a NumberFormatException (a 500). Its input is kept in
 * {@code StatusCodecFuzzTestInputs/…/timestamp-past-a-double}.
 */
class StatusTimestampOverflowTest {
  private static final ObjectMapper JSON = WireAssertions.serverJson();

  @Test
  void aTimestampPastWhatADoubleHoldsIsRefusedAsOutOfRange() throws Exception {
    for (String timestamp : new String[] {"1E+9999999", "-1E+9999999", "1e309"}) {
      StatusError refused = assertThrows(StatusError.class, () -> StatusCodec.newLog(
          JSON.readTree("{\"site\":\"mrc\",\"log_message\":\"m\",\"timestamp\":" + timestamp + "}"),
          0));
      assertEquals(400, refused.status(), timestamp);
      assertEquals("timestamp", refused.field(), timestamp);
    }
  }
}
