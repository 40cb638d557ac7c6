package dev.cloudpg.testkit.azure;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Locale;

/**
 * One request {@link FakeArm} answered, as {@link FakeArm#requests()} lists it.
 *
 * @param method the HTTP method, upper case
 * @param path the request path without the query
 * @param apiVersion the {@code api-version} query parameter, or null when the request had none
 * @param body the JSON request body with secret-looking values replaced by {@code "***"}, or null when empty
 * @param status the HTTP status the fake answered
 * @param auxiliaryTokenPresent whether the request carried {@code x-ms-authorization-auxiliary} (cross-tenant calls);
 *     its value is never kept
 * @param at when the fake answered, on its clock ({@link FakeArm#time()})
 */
public record ArmRequest(String method, String path, String apiVersion, JsonNode body, int status,
    boolean auxiliaryTokenPresent, Instant at) {

  /** {@return whether the request could change something: PUT, PATCH, DELETE, or a POST action other than a list} */
  public boolean mutating() {
    return switch (method) {
      case "PUT", "PATCH", "DELETE" -> true;
      case "POST" -> !path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT).startsWith("list");
      default -> false;
    };
  }
}
