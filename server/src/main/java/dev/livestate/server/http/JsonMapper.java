package dev.livestate.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper.Builder;

/** The one Jackson setup: read constraints from the limits, strict duplicate detection. */
public final class JsonMapper {
  private JsonMapper() {}

  public static ObjectMapper create(Limits limits) {
    JsonFactory factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(limits.maxJsonDepth())
            .maxStringLength((int) Math.min(Integer.MAX_VALUE, limits.maxMessageBytes()))
            .maxDocumentLength(limits.maxMessageBytes())
            .build())
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
    Builder b = com.fasterxml.jackson.databind.json.JsonMapper.builder(factory);
    return b.build();
  }
}
