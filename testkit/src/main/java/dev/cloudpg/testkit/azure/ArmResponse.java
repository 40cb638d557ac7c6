package dev.cloudpg.testkit.azure;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the fake answers: a status, extra headers and an optional JSON body. */
record ArmResponse(int status, Map<String, String> headers, JsonNode body) {

  static ArmResponse of(int status, JsonNode body) {
    return new ArmResponse(status, new LinkedHashMap<>(), body);
  }

  ArmResponse header(String name, String value) {
    headers.put(name, value);
    return this;
  }
}
