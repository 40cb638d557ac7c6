package dev.cloudpg.mst.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cloudpg.ProviderException;
import dev.cloudpg.spi.Text;
import java.io.IOException;
import java.net.http.HttpHeaders;

/**
 * Turns Aiven's error responses, {@code {"message":..,"errors":[{"error_code":..,"message":..,"status":..}]}}, into
 * exceptions; an answer that asks to be retried ({@code Retry-After}) is retryable whatever its status.
 */
final class AivenErrors {
  /** What to do when Aiven does not accept the token. */
  static final String LOGIN_HINT = "set AIVEN_TOKEN to a valid token (Aiven Console, User profile, Tokens), or log "
      + "in again with 'avn user login'";

  private AivenErrors() {}

  static ProviderException fromResponse(int status, String body, HttpHeaders headers, ObjectMapper json) {
    JsonNode error = parse(body, json);
    JsonNode first = error.path("errors").path(0);
    String code = first.path("error_code").asText("");
    String message = Text.escape(error.path("message").asText(first.path("message").asText("")));
    if (message.isEmpty()) {
      message = "no error message";
    }
    if (status == 401) {
      // Aiven's answer to a missing, wrong or expired token; a 403 is about what the user may do, not who they are.
      message += "; Aiven did not accept the API token: " + LOGIN_HINT;
    }
    String requestId = headers.firstValue("X-Request-Id").or(() -> headers.firstValue("Request-Id")).orElse(null);
    return new ProviderException("mst", code.isEmpty() ? statusName(status) : code, message, requestId, status,
        retryable(status) || headers.firstValue("Retry-After").isPresent(), null);
  }

  /** What Aiven's own Go client retries: throttling and server errors, except 501. */
  static boolean retryable(int status) {
    return status == 429 || (status >= 500 && status != 501);
  }

  private static JsonNode parse(String body, ObjectMapper json) {
    try {
      JsonNode node = json.readTree(body);
      return node == null ? json.createObjectNode() : node;
    } catch (IOException e) {
      // A proxy's HTML page or an empty body: the status alone must do.
      return json.createObjectNode();
    }
  }

  static String statusName(int status) {
    switch (status) {
      case 400: return "BAD_REQUEST";
      case 401: return "UNAUTHORIZED";
      case 403: return "FORBIDDEN";
      case 404: return "NOT_FOUND";
      case 405: return "METHOD_NOT_ALLOWED";
      case 409: return "CONFLICT";
      case 429: return "TOO_MANY_REQUESTS";
      case 500: return "INTERNAL_SERVER_ERROR";
      case 501: return "NOT_IMPLEMENTED";
      case 502: return "BAD_GATEWAY";
      case 503: return "SERVICE_UNAVAILABLE";
      case 504: return "GATEWAY_TIMEOUT";
      default: return "HTTP_" + status;
    }
  }
}
