package dev.cloudpg.mst.internal;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cloudpg.ProviderException;
import dev.cloudpg.spi.Endpoints;
import dev.cloudpg.spi.Text;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Microsoft Graph request with a bearer token and error mapping, sent exactly once, and lists followed through
 * their {@code @odata.nextLink} pages. Thread-safe.
 *
 * <p>Like {@link AivenTransport}, it does not retry: the engine is the only layer that does. Throttling (429), server
 * errors (5xx except 501) and connection failures come back as retryable {@link ProviderException}s with provider
 * {@code azure}; a POST whose answer was lost is never sent again from here, since the create may have happened.
 *
 * <p>The token goes only to the Graph base's scheme, host and port: a next page elsewhere is refused rather than
 * followed, and redirects are not followed at all. Neither the token nor a response body (an {@code addPassword}
 * answer holds the password) ever reaches a log line or an exception message.
 */
final class GraphTransport {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
  /** How long before it expires a token is replaced, so that none expires on its way to Graph. */
  private static final Duration TOKEN_MARGIN = Duration.ofMinutes(2);
  private static final Duration TOKEN_TIMEOUT = Duration.ofSeconds(60);
  private static final Logger LOG = LoggerFactory.getLogger(GraphTransport.class);

  private final URI base;
  private final TokenCredential credential;
  private final String scope;
  private final HttpClient http;
  private final ObjectMapper json;
  private AccessToken token;

  private GraphTransport(URI base, TokenCredential credential, String scope, HttpClient http, ObjectMapper json) {
    this.base = base;
    this.credential = credential;
    this.scope = scope;
    this.http = http;
    this.json = json;
  }

  /**
   * A transport to {@code base}, such as {@code https://graph.microsoft.com/v1.0}, with tokens for {@code scope}.
   *
   * @throws IllegalArgumentException if {@code base} is neither https nor http to a loopback host
   */
  static GraphTransport create(URI base, TokenCredential credential, String scope, ObjectMapper json) {
    Objects.requireNonNull(base, "base");
    if (!Endpoints.safeForCredentials(base) || base.getRawUserInfo() != null || base.getRawQuery() != null) {
      throw new IllegalArgumentException("the Graph endpoint " + Text.quote(base.toString()) + " must be https, or"
          + " http to localhost, 127.0.0.1 or [::1], without user info or query");
    }
    String text = base.toString();
    URI trimmed = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
        // A redirect would carry the token on; Graph does not redirect the requests made here.
        .followRedirects(HttpClient.Redirect.NEVER);
    if (trimmed.getScheme().equalsIgnoreCase("http")) {
      // No h2c upgrade dance with a loopback fake.
      http.version(HttpClient.Version.HTTP_1_1);
    }
    return new GraphTransport(trimmed, Objects.requireNonNull(credential, "credential"), scope, http.build(), json);
  }

  /** Sends a request to {@code path} (with its query, encoded) under the base and returns the response's JSON. */
  JsonNode send(String method, String path, Object body) {
    return send(method, URI.create(base + path), body);
  }

  /** The {@code value} items of a list and of each of its next pages. */
  List<JsonNode> list(String path) {
    List<JsonNode> items = new ArrayList<>();
    URI next = URI.create(base + path);
    while (next != null) {
      JsonNode page = send("GET", next, null);
      page.path("value").forEach(items::add);
      JsonNode link = page.path("@odata.nextLink");
      next = link.isTextual() ? nextPage(link.asText()) : null;
    }
    return items;
  }

  private URI nextPage(String link) {
    URI uri;
    try {
      uri = URI.create(link);
    } catch (IllegalArgumentException e) {
      throw new ProviderException("azure", "INVALID_RESPONSE", "Graph's next page link is not a URI", null, 0, false,
          null);
    }
    if (!sameOrigin(uri)) {
      throw new ProviderException("azure", "UNTRUSTED_NEXT_LINK", "Graph's next page link leads away from "
          + base.getScheme() + "://" + base.getRawAuthority() + ", where the token may go: not followed", null, 0,
          false, null);
    }
    return uri;
  }

  private boolean sameOrigin(URI uri) {
    return uri.isAbsolute() && uri.getHost() != null && uri.getRawUserInfo() == null
        && uri.getScheme().equalsIgnoreCase(base.getScheme())
        && uri.getHost().toLowerCase(Locale.ROOT).equals(base.getHost().toLowerCase(Locale.ROOT))
        && port(uri) == port(base);
  }

  private static int port(URI uri) {
    return uri.getPort() != -1 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
  }

  private JsonNode send(String method, URI uri, Object body) {
    // Every request passes here, so no token can leave for another origin than the base's.
    if (!sameOrigin(uri)) {
      throw new IllegalStateException("not a Graph request: " + Text.quote(uri.getRawPath()));
    }
    String shown = method + " " + uri.getRawPath();
    HttpResponse<String> response;
    try {
      response = http.send(request(method, uri, body), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new ProviderException("azure", "INVALID_REQUEST", "the body of " + shown + " cannot be written as JSON",
          null, 0, false, null);
    } catch (IOException e) {
      // A reset or a timeout: the request may have taken effect, and the engine decides what happens next.
      throw new ProviderException("azure", "CONNECTION_FAILED", "Microsoft Graph: " + shown + ": "
          + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + Text.escape(e.getMessage())), null,
          0, true, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProviderException("azure", "INTERRUPTED", shown + " was interrupted", null, 0, false, e);
    }
    int status = response.statusCode();
    LOG.debug("{} -> {}", shown, status);
    if (status >= 300) {
      throw error(status, response.body(), response.headers());
    }
    String text = response.body();
    if (text == null || text.isBlank()) {
      return json.createObjectNode();
    }
    try {
      return json.readTree(text);
    } catch (JsonProcessingException e) {
      // The body may hold a password: never quote it.
      throw new ProviderException("azure", "INVALID_RESPONSE", "the response to " + shown + " is not the JSON "
          + "expected", null, status, false, null);
    }
  }

  private HttpRequest request(String method, URI uri, Object body) throws JsonProcessingException {
    HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body), StandardCharsets.UTF_8);
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
        .timeout(REQUEST_TIMEOUT)
        .header("Authorization", "Bearer " + token())
        .header("Accept", "application/json")
        .method(method, publisher);
    if (body != null) {
      builder.header("Content-Type", "application/json");
    }
    return builder.build();
  }

  /** The cached token, or a new one when there is none or it expires within {@link #TOKEN_MARGIN}. */
  private synchronized String token() {
    if (token == null || token.getExpiresAt() == null
        || token.getExpiresAt().minus(TOKEN_MARGIN).isBefore(OffsetDateTime.now())) {
      AccessToken fresh = credential.getToken(new TokenRequestContext().addScopes(scope)).block(TOKEN_TIMEOUT);
      if (fresh == null || fresh.getToken() == null || fresh.getToken().isEmpty()) {
        throw new ProviderException("azure", "NoToken", "the Azure credential gave no token for Microsoft Graph",
            null, 0, false, null);
      }
      token = fresh;
    }
    return token.getToken();
  }

  /**
   * Graph's error body, {@code {"error":{"code":..,"message":..,"innerError":{"request-id":..}}}}, as an exception:
   * retryable for throttling and server errors except 501.
   */
  private ProviderException error(int status, String body, HttpHeaders headers) {
    JsonNode error = parse(body).path("error");
    String code;
    String message;
    if (error.isObject()) {
      code = error.path("code").asText("");
      message = error.path("message").asText("");
      if (message.isEmpty()) {
        message = "no error message";
      }
    } else {
      code = "";
      message = "Graph answered without an error body";
    }
    if (code.isEmpty()) {
      code = "HTTP_" + status;
    }
    String requestId = error.path("innerError").path("request-id").asText("");
    if (requestId.isEmpty()) {
      requestId = headers.firstValue("request-id").orElse(null);
    }
    boolean retryable = status == 429 || (status >= 500 && status != 501);
    return new ProviderException("azure", code, Text.escape(message), requestId, status, retryable, null);
  }

  private JsonNode parse(String body) {
    try {
      JsonNode node = body == null || body.isBlank() ? null : json.readTree(body);
      return node == null ? json.createObjectNode() : node;
    } catch (JsonProcessingException e) {
      // A proxy's HTML page: the status alone must do.
      return json.createObjectNode();
    }
  }
}
