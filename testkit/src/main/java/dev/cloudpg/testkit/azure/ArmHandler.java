package dev.cloudpg.testkit.azure;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.cloudpg.spi.TimeSource;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The HTTP side of the fake: checks what ARM checks on every request (a bearer token, an api-version), answers planned
 * faults, hands the rest to the {@link ArmStore}, writes ARM's headers and error bodies, and logs the request.
 */
final class ArmHandler implements HttpHandler {
  private final ObjectMapper json;
  private final ArmStore store;
  private final ArmFaults faults;
  private final ArmRequestLog log;
  private final String base;
  private final TimeSource time;

  ArmHandler(ObjectMapper json, ArmStore store, ArmFaults faults, ArmRequestLog log, String base, TimeSource time) {
    this.json = json;
    this.store = store;
    this.faults = faults;
    this.log = log;
    this.base = base;
    this.time = time;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
      // Read the request target as sent: a client that joins an endpoint ending in '/' with an id starting with one
      // sends "//subscriptions/...", which java.net.URI would take for an authority.
      String target = exchange.getRequestURI().toString();
      int q = target.indexOf('?');
      String path = URLDecoder.decode((q < 0 ? target : target.substring(0, q)).replace("+", "%2B"),
          StandardCharsets.UTF_8).replaceAll("/{2,}", "/");
      Map<String, String> query = query(q < 0 ? null : target.substring(q + 1));
      boolean auxiliary = exchange.getRequestHeaders().containsKey("x-ms-authorization-auxiliary");
      byte[] raw = exchange.getRequestBody().readAllBytes();
      JsonNode body = null;
      ArmResponse response;
      try {
        body = raw.length == 0 ? null : json.readTree(raw);
        response = answer(method, path, query, body, exchange.getRequestHeaders());
      } catch (JsonProcessingException e) {
        response = error(new ArmException(400, "InvalidRequestContent", "The request content was invalid and "
            + "could not be deserialized: " + e.getOriginalMessage()));
      } catch (LostAnswer e) {
        // The request took effect; the answer never leaves: the connection closes without a status line.
        log.add(new ArmRequest(method, path, query.get("api-version"), ArmRequestLog.redacted(body), e.status,
            auxiliary, time.now()));
        return;
      } catch (ArmException e) {
        response = error(e);
      } catch (RuntimeException e) {
        response = error(new ArmException(500, "InternalServerError", "The fake failed: " + e));
      }
      // Logged before the answer goes out, so that a client that has its answer finds its request in the log.
      log.add(new ArmRequest(method, path, query.get("api-version"), ArmRequestLog.redacted(body),
          response.status(), auxiliary, time.now()));
      send(exchange, method, response);
    }
  }

  private ArmResponse answer(String method, String path, Map<String, String> query, JsonNode body,
      com.sun.net.httpserver.Headers headers) {
    String authorization = headers.getFirst("Authorization");
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new ArmException(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is "
          + "missing.");
    }
    if (query.get("api-version") == null) {
      throw new ArmException(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) "
          + "is required for all requests.");
    }
    Optional<ArmFaults.Fault> fault = faults.next(method, path);
    if (fault.isPresent() && fault.get().status() != ArmFaults.LOSE_ANSWER) {
      return fault(fault.get());
    }
    ArmResponse response = store.handle(new ArmStore.Call(method, ArmPath.parse(path), body, query, base,
        headers.getFirst("If-Match"), headers.getFirst("If-None-Match")));
    if (fault.isPresent()) {
      throw new LostAnswer(response.status());
    }
    return response;
  }

  /** A request that took effect and whose answer is dropped. */
  private static final class LostAnswer extends RuntimeException {
    final int status;

    LostAnswer(int status) {
      super(null, null, false, false);
      this.status = status;
    }
  }

  private ArmResponse fault(ArmFaults.Fault fault) {
    ArmResponse response = error(new ArmException(fault.status(), fault.code(), fault.message()));
    if (fault.retryAfter() != null) {
      // Retry-After says what ARM would (whole simulated seconds); azure-core's retry policy reads
      // x-ms-retry-after-ms first, so the wait in real time goes there and a client retries as fast as the fake runs.
      long seconds = Math.max(1, (fault.retryAfter().toMillis() + 999) / 1000);
      long scaledMillis = Math.max(1, time.toReal(fault.retryAfter()).toMillis());
      response.header("Retry-After", Long.toString(seconds)).header("x-ms-retry-after-ms", Long.toString(scaledMillis));
    }
    return response;
  }

  private ArmResponse error(ArmException e) {
    ObjectNode body = json.createObjectNode();
    body.putObject("error").put("code", e.code()).put("message", e.getMessage());
    return ArmResponse.of(e.status(), body);
  }

  private void send(HttpExchange exchange, String method, ArmResponse response) throws IOException {
    exchange.getResponseHeaders().set("x-ms-request-id", UUID.randomUUID().toString());
    response.headers().forEach(exchange.getResponseHeaders()::set);
    byte[] bytes = response.body() == null ? new byte[0] : json.writeValueAsBytes(response.body());
    if (bytes.length > 0) {
      exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    }
    // HEAD and empty answers have no body; -1 tells the server so.
    boolean empty = bytes.length == 0 || "HEAD".equals(method);
    exchange.sendResponseHeaders(response.status(), empty ? -1 : bytes.length);
    if (!empty) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> query = new HashMap<>();
    if (raw == null) {
      return query;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      query.put(name, value);
    }
    return query;
  }
}
