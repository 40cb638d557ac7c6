package dev.cloudpg.testkit.mst;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudpg.spi.TimeSource;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fake of the Microsoft Graph v1.0 requests that set up Entra ID for an MST peering, on 127.0.0.1:
 * applications (list with {@code $filter=displayName eq '..'}, {@code $filter=tags/any(t:t eq '..')} or
 * {@code $filter=tags/any(t:startswith(t,'..'))}, create, read, update, delete, {@code addPassword},
 * {@code removePassword}), service principals (list with {@code $filter=appId eq '..'} or
 * {@code $filter=tags/any(t:t eq '..')}, create with tags, read, delete) and {@code organization}.
 *
 * <pre>{@code
 * try (FakeGraph graph = FakeGraph.start()) {
 *   // MstCloud.builder().graphEndpoint(graph.baseUrl()) sends the Entra ID requests of MST peerings here
 * }
 * }</pre>
 *
 * <p>Requests need a bearer token (any); errors have Graph's body {@code {"error":{"code":..,"message":..,
 * "innerError":{..}}}} and a {@code request-id} header. A password's {@code secretText} is in the answer to
 * {@code addPassword} only. A service principal may be created for any application id, of this tenant or not,
 * unless {@link #denyForeignServicePrincipals} is on. Timestamps ({@code createdDateTime}, a password's start and
 * default end) come from the fake's clock, {@link Builder#time} (real time by default), such as the engine's virtual
 * clock. Thread-safe.
 */
public final class FakeGraph implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern FILTER = Pattern.compile("(displayName|appId) eq '((?:[^']|'')*)'");
  private static final Pattern TAG_FILTER = Pattern.compile("tags/any\\((\\w+):\\s*\\1 eq '((?:[^']|'')*)'\\)");
  private static final Pattern TAG_PREFIX_FILTER = Pattern.compile(
      "tags/any\\((\\w+):\\s*startswith\\(\\s*\\1\\s*,\\s*'((?:[^']|'')*)'\\s*\\)\\)", Pattern.CASE_INSENSITIVE);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String tenantId;
  private final TimeSource time;
  private final Map<String, ObjectNode> applications = new LinkedHashMap<>();
  private final Map<String, ObjectNode> servicePrincipals = new LinkedHashMap<>();
  private final FailureRules failures = new FailureRules();
  private final RequestLog<GraphRequest> log = new RequestLog<>();
  private final LoopbackServer server;
  private boolean denyForeign;

  private FakeGraph(Builder b) {
    this.tenantId = b.tenantId;
    this.time = b.time;
    this.server = LoopbackServer.start("fake-graph", this::handle);
  }

  /**
   * A builder with a random tenant and real time.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A fake whose tenant has a random id.
   *
   * @return a fake whose tenant has a random id
   */
  public static FakeGraph start() {
    return builder().build();
  }

  /**
   * A fake of the tenant with this id.
   *
   * @param tenantId the tenant's id
   * @return a fake of the tenant with this id
   */
  public static FakeGraph start(String tenantId) {
    return builder().tenantId(tenantId).build();
  }

  /**
   * The Graph base, {@code http://127.0.0.1:<port>/v1.0}.
   *
   * @return the Graph base, {@code http://127.0.0.1:<port>/v1.0}
   */
  public URI baseUrl() {
    return URI.create(server.root() + "/v1.0");
  }

  /**
   * The tenant id that {@code organization} answers.
   *
   * @return the tenant id that {@code organization} answers
   */
  public String tenantId() {
    return tenantId;
  }

  /**
   * Makes creating a service principal for an application of another tenant fail as Graph does for a caller without
   * a directory role for applications: 403 {@code Authorization_RequestDenied}.
   *
   * @param deny whether to refuse them: 403 {@code Authorization_RequestDenied}
   * @return this fake
   */
  public synchronized FakeGraph denyForeignServicePrincipals(boolean deny) {
    this.denyForeign = deny;
    return this;
  }

  /**
   * Makes the next {@code times} requests with this method and a path matching {@code pathRegex} (without the query,
   * such as {@code /v1.0/applications}) fail with {@code status}; 429, 503 and 504 send {@code Retry-After: 0}, so
   * that a client that honours it does not slow a test.
   *
   * @param method the HTTP method, such as {@code POST}
   * @param pathRegex a regular expression the whole path must match
   * @param status the error status, 4xx or 5xx
   * @param message the error's message
   * @param times how many requests fail, at least 1
   * @return this fake
   */
  public FakeGraph failNext(String method, String pathRegex, int status, String message, int times) {
    failures.add(method, pathRegex, status, message, times);
    return this;
  }

  /**
   * Lets the next request with this method and a path matching {@code pathRegex} take effect and drops its answer:
   * the connection closes without a status line, as when it resets after Graph accepted the request.
   *
   * @param method the HTTP method, such as {@code POST}
   * @param pathRegex a regular expression the whole path must match
   * @return this fake
   */
  public FakeGraph loseAnswerOnce(String method, String pathRegex) {
    failures.add(method, pathRegex, FailureRules.LOSE_ANSWER, "", 1);
    return this;
  }

  /**
   * The key ids of the passwords the application with this object id holds now; empty if there is no such app.
   *
   * @param applicationObjectId the application's object id
   * @return the key ids of the passwords the application with this object id holds now
   */
  public synchronized List<String> passwordKeyIds(String applicationObjectId) {
    ObjectNode app = applications.get(applicationObjectId);
    if (app == null) {
      return List.of();
    }
    List<String> ids = new ArrayList<>();
    app.get("passwordCredentials").forEach(p -> ids.add(p.path("keyId").asText()));
    return ids;
  }

  /**
   * Adds an application as if someone had created it (a person, or a create sent twice), with these tags.
   *
   * @param displayName its display name
   * @param tags its tags
   * @return its object id
   */
  public synchronized String addApplication(String displayName, List<String> tags) {
    ObjectNode app = JSON.createObjectNode();
    app.put("id", UUID.randomUUID().toString());
    app.put("appId", UUID.randomUUID().toString());
    app.put("displayName", Objects.requireNonNull(displayName, "displayName"));
    app.put("signInAudience", "AzureADMultipleOrgs");
    ArrayNode tagList = app.putArray("tags");
    tags.forEach(tagList::add);
    app.putArray("passwordCredentials");
    app.put("createdDateTime", now());
    applications.put(app.get("id").asText(), app);
    return app.get("id").asText();
  }

  /**
   * The object ids of the applications that exist now.
   *
   * @return the object ids of the applications that exist now
   */
  public synchronized List<String> applicationIds() {
    return List.copyOf(applications.keySet());
  }

  /**
   * The object ids of the service principals that exist now.
   *
   * @return the object ids of the service principals that exist now
   */
  public synchronized List<String> servicePrincipalIds() {
    return List.copyOf(servicePrincipals.keySet());
  }

  /**
   * The requests answered so far, oldest first.
   *
   * @return the requests answered so far, oldest first
   */
  public List<GraphRequest> requests() {
    return log.snapshot();
  }

  /**
   * Writes the request log to {@code dir/graph-requests.jsonl} and returns that file.
   *
   * @param dir the folder to write to; made if missing
   * @return the file written, {@code dir/graph-requests.jsonl}
   */
  public Path writeRequestLog(Path dir) {
    return log.write(dir, "graph-requests.jsonl");
  }

  @Override
  public void close() {
    server.close();
  }

  private LoopbackServer.Reply handle(LoopbackServer.Call call) {
    Map<String, String> query = query(call.query());
    LoopbackServer.Reply reply = answer(call, query);
    String shown = call.path() + (query.isEmpty() ? "" : "?" + String.join("&",
        query.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
    log.add(new GraphRequest(call.method(), shown, call.body(), reply.status()));
    return reply;
  }

  private LoopbackServer.Reply answer(LoopbackServer.Call call, Map<String, String> query) {
    Optional<String> auth = call.header("Authorization");
    if (auth.isEmpty() || !auth.get().startsWith("Bearer ") || auth.get().length() <= "Bearer ".length()) {
      return error(401, "InvalidAuthenticationToken", "Access token is empty.");
    }
    Optional<FailureRules.Failure> failure = failures.next(call.method(), call.path());
    if (failure.isPresent() && failure.get().losesAnswer()) {
      return effect(call, query).lost();
    }
    if (failure.isPresent()) {
      int status = failure.get().status();
      LoopbackServer.Reply reply = error(status, codeFor(status), failure.get().message());
      return status == 429 || status == 503 || status == 504
          ? new LoopbackServer.Reply(status, reply.body(), Map.of("Retry-After", "0", "request-id", requestId(reply)))
          : reply;
    }
    return effect(call, query);
  }

  private LoopbackServer.Reply effect(LoopbackServer.Call call, Map<String, String> query) {
    try {
      JsonNode body = call.body() == null ? JSON.createObjectNode() : JSON.readTree(call.body());
      synchronized (this) {
        return route(call.method(), call.path(), query, body);
      }
    } catch (JsonProcessingException e) {
      return error(400, "BadRequest", "Unable to read JSON request payload.");
    }
  }

  private LoopbackServer.Reply route(String method, String path, Map<String, String> query, JsonNode body) {
    String[] s = path.split("/");
    // s[0] is empty, s[1] the version.
    if (s.length < 3 || !s[1].equals("v1.0")) {
      return notFound(path);
    }
    String collection = s[2];
    String id = s.length > 3 ? s[3] : null;
    String action = s.length > 4 ? s[4] : null;
    switch (collection) {
      case "organization":
        if (method.equals("GET") && id == null) {
          ObjectNode org = JSON.createObjectNode().put("id", tenantId).put("displayName", "Fake tenant");
          return ok(200, list("organization", List.of(org)));
        }
        break;
      case "applications":
        return applications(method, id, action, query, body);
      case "servicePrincipals":
        return servicePrincipals(method, id, query, body);
      default:
        break;
    }
    return notFound(path);
  }

  private LoopbackServer.Reply applications(String method, String id, String action, Map<String, String> query,
      JsonNode body) {
    if (id == null && method.equals("GET")) {
      return filtered("applications", applications, query, "displayName");
    }
    if (id == null && method.equals("POST")) {
      if (!body.path("displayName").isTextual()) {
        return error(400, "Request_BadRequest", "A value is required for property 'displayName' of resource "
            + "'Application'.");
      }
      ObjectNode app = JSON.createObjectNode();
      app.put("id", UUID.randomUUID().toString());
      app.put("appId", UUID.randomUUID().toString());
      app.put("displayName", body.path("displayName").asText());
      app.put("signInAudience", body.path("signInAudience").asText("AzureADMyOrg"));
      app.set("tags", body.has("tags") ? body.get("tags").deepCopy() : JSON.createArrayNode());
      app.putArray("passwordCredentials");
      app.put("createdDateTime", now());
      applications.put(app.get("id").asText(), app);
      return ok(201, app);
    }
    ObjectNode app = id == null ? null : applications.get(id);
    if (app == null) {
      return notFound(id);
    }
    if (action == null) {
      switch (method) {
        case "GET":
          return ok(200, app);
        case "PATCH":
          body.fields().forEachRemaining(field -> {
            if (!field.getKey().equals("id") && !field.getKey().equals("appId")) {
              app.set(field.getKey(), field.getValue().deepCopy());
            }
          });
          return new LoopbackServer.Reply(204, null);
        case "DELETE":
          applications.remove(id);
          return new LoopbackServer.Reply(204, null);
        default:
          break;
      }
    } else if (action.equals("addPassword") && method.equals("POST")) {
      return ok(200, addPassword(app, body.path("passwordCredential")));
    } else if (action.equals("removePassword") && method.equals("POST")) {
      return removePassword(app, body.path("keyId").asText(""));
    }
    return error(405, "Request_BadRequest", "Unsupported request on an application.");
  }

  private ObjectNode addPassword(ObjectNode app, JsonNode requested) {
    byte[] bytes = new byte[30];
    RANDOM.nextBytes(bytes);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    ObjectNode stored = JSON.createObjectNode();
    stored.put("keyId", UUID.randomUUID().toString());
    stored.put("displayName", requested.path("displayName").asText(null));
    stored.put("hint", secret.substring(0, 3));
    stored.put("startDateTime", now());
    stored.put("endDateTime", requested.path("endDateTime").asText(
        OffsetDateTime.ofInstant(time.now(), ZoneOffset.UTC).plusYears(2).toString()));
    ((ArrayNode) app.get("passwordCredentials")).add(stored);
    // Only this answer holds the value; Graph keeps the hint.
    return stored.deepCopy().put("secretText", secret);
  }

  private LoopbackServer.Reply removePassword(ObjectNode app, String keyId) {
    ArrayNode passwords = (ArrayNode) app.get("passwordCredentials");
    for (int i = 0; i < passwords.size(); i++) {
      if (passwords.get(i).path("keyId").asText().equalsIgnoreCase(keyId)) {
        passwords.remove(i);
        return new LoopbackServer.Reply(204, null);
      }
    }
    return error(400, "Request_BadRequest", "No password credential with key id '" + keyId + "' on the "
        + "application.");
  }

  private LoopbackServer.Reply servicePrincipals(String method, String id, Map<String, String> query,
      JsonNode body) {
    if (id == null && method.equals("GET")) {
      return filtered("servicePrincipals", servicePrincipals, query, "appId");
    }
    if (id == null && method.equals("POST")) {
      String appId = body.path("appId").asText("");
      if (appId.isEmpty()) {
        return error(400, "Request_BadRequest", "A value is required for property 'appId' of resource "
            + "'ServicePrincipal'.");
      }
      Optional<ObjectNode> local = applications.values().stream()
          .filter(app -> app.path("appId").asText().equals(appId)).findFirst();
      if (local.isEmpty() && denyForeign) {
        return error(403, "Authorization_RequestDenied", "When using this permission, the backing application of"
            + " the service principal being created must in the local tenant");
      }
      if (servicePrincipals.values().stream().anyMatch(sp -> sp.path("appId").asText().equals(appId))) {
        return error(409, "Request_MultipleObjectsWithSameKeyValue", "Another object with the same value for "
            + "property servicePrincipalNames already exists.");
      }
      ObjectNode sp = JSON.createObjectNode();
      sp.put("id", UUID.randomUUID().toString());
      sp.put("appId", appId);
      sp.put("displayName", local.map(app -> app.path("displayName").asText()).orElse("Application " + appId));
      sp.put("servicePrincipalType", "Application");
      sp.put("appOwnerOrganizationId", local.isPresent() ? tenantId : UUID.randomUUID().toString());
      sp.set("tags", body.has("tags") ? body.get("tags").deepCopy() : JSON.createArrayNode());
      servicePrincipals.put(sp.get("id").asText(), sp);
      return ok(201, sp);
    }
    if (id != null && method.equals("DELETE")) {
      return servicePrincipals.remove(id) == null ? notFound(id) : new LoopbackServer.Reply(204, null);
    }
    if (id != null && method.equals("GET")) {
      ObjectNode sp = servicePrincipals.get(id);
      return sp == null ? notFound(id) : ok(200, sp);
    }
    return error(405, "Request_BadRequest", "Unsupported request on a service principal.");
  }

  private LoopbackServer.Reply filtered(String collection, Map<String, ObjectNode> objects, Map<String, String> query,
      String filterable) {
    String filter = query.get("$filter");
    if (filter == null) {
      return ok(200, list(collection, List.copyOf(objects.values())));
    }
    Matcher tag = TAG_FILTER.matcher(filter.strip());
    Matcher prefix = TAG_PREFIX_FILTER.matcher(filter.strip());
    if (tag.matches() || prefix.matches() && collection.equals("applications")) {
      boolean exact = tag.matches();
      String value = (exact ? tag : prefix).group(2).replace("''", "'");
      return ok(200, list(collection, objects.values().stream()
          .filter(o -> java.util.stream.StreamSupport.stream(o.path("tags").spliterator(), false)
              .anyMatch(t -> exact ? t.asText().equals(value) : t.asText().startsWith(value)))
          .map(ObjectNode.class::cast).toList()));
    }
    Matcher m = FILTER.matcher(filter.strip());
    if (!m.matches() || !m.group(1).equals(filterable)) {
      return error(400, "Request_UnsupportedQuery", "Unsupported or invalid query filter clause specified for "
          + "property of resource.");
    }
    String value = m.group(2).replace("''", "'");
    return ok(200, list(collection, objects.values().stream()
        .filter(o -> o.path(filterable).asText().equals(value)).map(ObjectNode.class::cast).toList()));
  }

  private ObjectNode list(String collection, List<ObjectNode> items) {
    ObjectNode result = JSON.createObjectNode();
    result.put("@odata.context", baseUrl() + "/$metadata#" + collection);
    ArrayNode value = result.putArray("value");
    items.forEach(item -> value.add(item.deepCopy()));
    return result;
  }

  private static LoopbackServer.Reply ok(int status, ObjectNode body) {
    return new LoopbackServer.Reply(status, body.toString());
  }

  private LoopbackServer.Reply notFound(String what) {
    return error(404, "Request_ResourceNotFound", "Resource '" + what + "' does not exist or one of its queried "
        + "reference-property objects are not present.");
  }

  private LoopbackServer.Reply error(int status, String code, String message) {
    String requestId = UUID.randomUUID().toString();
    ObjectNode body = JSON.createObjectNode();
    ObjectNode error = body.putObject("error");
    error.put("code", code);
    error.put("message", message);
    ObjectNode inner = error.putObject("innerError");
    inner.put("date", now());
    inner.put("request-id", requestId);
    inner.put("client-request-id", requestId);
    return new LoopbackServer.Reply(status, body.toString(), Map.of("request-id", requestId));
  }

  private static String requestId(LoopbackServer.Reply reply) {
    return reply.headers().get("request-id");
  }

  private static String codeFor(int status) {
    switch (status) {
      case 429: return "TooManyRequests";
      case 503: return "serviceNotAvailable";
      case 504: return "UnknownError";
      case 403: return "Authorization_RequestDenied";
      case 404: return "Request_ResourceNotFound";
      default: return status >= 500 ? "InternalServerError" : "Request_BadRequest";
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> query = new LinkedHashMap<>();
    if (raw != null && !raw.isEmpty()) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        query.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return query;
  }

  private String now() {
    return OffsetDateTime.ofInstant(time.now(), ZoneOffset.UTC).withNano(0).toString();
  }

  /** Settings of a {@link FakeGraph}; {@link #build()} starts it. */
  public static final class Builder {
    private String tenantId = UUID.randomUUID().toString();
    private TimeSource time = TimeSource.system();

    private Builder() {}

    /**
     * The tenant id that {@code organization} answers; random by default.
     *
     * @param tenantId the tenant id that {@code organization} answers
     * @return this builder
     */
    public Builder tenantId(String tenantId) {
      this.tenantId = Objects.requireNonNull(tenantId, "tenantId");
      return this;
    }

    /**
     * The clock of the fake's timestamps, such as the engine's virtual clock; real time by default.
     *
     * @param time the clock of the fake's timestamps, such as the engine's virtual clock
     * @return this builder
     */
    public Builder time(TimeSource time) {
      this.time = Objects.requireNonNull(time, "time");
      return this;
    }

    /**
     * Starts the fake on 127.0.0.1 and a free port.
     *
     * @return the running fake
     */
    public FakeGraph build() {
      return new FakeGraph(this);
    }
  }
}
