package dev.cloudpg.mst.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cloudpg.ProviderException;
import dev.cloudpg.Secret;
import dev.cloudpg.spi.TimeSource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Aiven API request with authentication, retries and error mapping.
 *
 * <p>Retries follow Aiven's Go client: 429, 5xx except 501, and connection failures, up to {@value #ATTEMPTS}
 * attempts, waiting 2 s doubling to at most 15 s with jitter, or what {@code Retry-After} says, up to 15 s. POSTs are
 * retried too: if a create reached Aiven before the failure, the retry is refused as a conflict, which callers
 * resolve by reading what exists, as every resource's create must anyway.
 */
final class AivenTransport {
  static final int ATTEMPTS = 6;
  static final Duration MIN_DELAY = Duration.ofSeconds(2);
  static final Duration MAX_DELAY = Duration.ofSeconds(15);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
  private static final Logger LOG = LoggerFactory.getLogger(AivenTransport.class);

  private final URI apiBase;
  private final Secret token;
  private final HttpClient http;
  private final TimeSource time;
  private final ObjectMapper json;

  AivenTransport(URI apiBase, Secret token, HttpClient http, TimeSource time, ObjectMapper json) {
    this.apiBase = apiBase;
    this.token = token;
    this.http = http;
    this.time = time;
    this.json = json;
  }

  /** Sends a request and returns the response's JSON (an empty object for an empty body). */
  JsonNode send(String method, String path, Object body) {
    for (int attempt = 1; ; attempt++) {
      Optional<Duration> retryAfter = Optional.empty();
      ProviderException failure;
      try {
        HttpResponse<String> response = http.send(request(method, path, body),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        int status = response.statusCode();
        LOG.debug("{} {} -> {}", method, path, status);
        if (status < 300) {
          return response.body().isBlank() ? json.createObjectNode() : json.readTree(response.body());
        }
        failure = AivenErrors.fromResponse(status, response.body(), response.headers(), json);
        retryAfter = response.headers().firstValue("Retry-After").flatMap(AivenTransport::seconds);
      } catch (JsonProcessingException e) {
        // The body may hold a service URI with its password: never quote it.
        throw new ProviderException("mst", "INVALID_RESPONSE", "the response to " + method + " " + path
            + " is not the JSON expected", null, 0, false, null);
      } catch (IOException e) {
        failure = new ProviderException("mst", "CONNECTION_FAILED", method + " " + path + ": " + e, null, 0, true,
            e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ProviderException("mst", "INTERRUPTED", method + " " + path + " was interrupted", null, 0, false,
            e);
      }
      if (!failure.retryable() || attempt == ATTEMPTS) {
        throw failure;
      }
      Duration delay = retryAfter.isPresent() ? min(retryAfter.get(), MAX_DELAY) : backoff(attempt);
      LOG.info("{} {} failed ({}), attempt {} of {}; retrying in {}", method, path, failure.errorCode(), attempt,
          ATTEMPTS, delay);
      sleep(delay, method, path);
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

  /** 2 s doubling per attempt up to 15 s, plus up to a quarter more so that parallel callers spread out. */
  static Duration backoff(int attempt) {
    long base = Math.min(MAX_DELAY.toMillis(), MIN_DELAY.toMillis() << Math.min(attempt - 1, 4));
    long jittered = base + ThreadLocalRandom.current().nextLong(base / 4 + 1);
    return Duration.ofMillis(Math.min(jittered, MAX_DELAY.toMillis()));
  }

  private static Optional<Duration> seconds(String value) {
    try {
      long seconds = Long.parseLong(value.strip());
      return seconds >= 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private void sleep(Duration delay, String method, String path) {
    try {
      time.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProviderException("mst", "INTERRUPTED", method + " " + path + " was interrupted", null, 0, false, e);
    }
  }
}
