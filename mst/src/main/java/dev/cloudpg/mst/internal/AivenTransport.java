package dev.cloudpg.mst.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cloudpg.ProviderException;
import dev.cloudpg.Secret;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Aiven API request with authentication and error mapping, sent exactly once. Thread-safe.
 *
 * <p>It does not retry: the engine is the only layer that does ({@link dev.cloudpg.spi.Retry}). What Aiven's Go
 * client retries comes back as a {@link ProviderException} whose {@code retryable()} is true, for the provider to
 * classify as transient: 429, 5xx except 501, an answer with {@code Retry-After}, and connection failures. A POST in
 * particular is never sent a second time from here: when its answer is lost (a reset, a timeout, a 5xx after the
 * change was made) the create may well have happened, and sending it again would either make a second object or be
 * refused as a conflict. The engine instead reads before it retries a failed create and adopts what the first
 * request made, so the decision rests on what Aiven holds, not on a guess.
 */
final class AivenTransport {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
  private static final Logger LOG = LoggerFactory.getLogger(AivenTransport.class);

  private final URI apiBase;
  private final Secret token;
  private final HttpClient http;
  private final ObjectMapper json;

  AivenTransport(URI apiBase, Secret token, HttpClient http, ObjectMapper json) {
    this.apiBase = apiBase;
    this.token = token;
    this.http = http;
    this.json = json;
  }

  /** Sends a request once and returns the response's JSON (an empty object for an empty body). */
  JsonNode send(String method, String path, Object body) {
    HttpResponse<String> response;
    try {
      response = http.send(request(method, path, body), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new ProviderException("mst", "INVALID_REQUEST", "the body of " + method + " " + path
          + " cannot be written as JSON", null, 0, false, null);
    } catch (IOException e) {
      throw new ProviderException("mst", "CONNECTION_FAILED", method + " " + path + ": " + e, null, 0, true, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProviderException("mst", "INTERRUPTED", method + " " + path + " was interrupted", null, 0, false,
          e);
    }
    int status = response.statusCode();
    LOG.debug("{} {} -> {}", method, path, status);
    if (status >= 300) {
      throw AivenErrors.fromResponse(status, response.body(), response.headers(), json);
    }
    try {
      return response.body().isBlank() ? json.createObjectNode() : json.readTree(response.body());
    } catch (JsonProcessingException e) {
      // The body may hold a service URI with its password: never quote it.
      throw new ProviderException("mst", "INVALID_RESPONSE", "the response to " + method + " " + path
          + " is not the JSON expected", null, 0, false, null);
    }
  }

  private HttpRequest request(String method, String path, Object body) throws JsonProcessingException {
    HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body), StandardCharsets.UTF_8);
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(apiBase + path))
        .timeout(REQUEST_TIMEOUT)
        .header("Authorization", "aivenv1 " + token.reveal())
        .header("Accept", "application/json")
        .method(method, publisher);
    if (body != null) {
      builder.header("Content-Type", "application/json");
    }
    return builder.build();
  }
}
