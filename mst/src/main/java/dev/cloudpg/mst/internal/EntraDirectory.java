package dev.cloudpg.mst.internal;

import com.azure.core.credential.TokenCredential;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cloudpg.ProviderException;
import dev.cloudpg.Secret;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The Entra ID objects a VNet peering with MST needs, through Microsoft Graph's REST API: a multi-tenant application
 * with a service principal and a password for Aiven to sign in as, a service principal for MST's own application, and
 * the tenant id. The {@code ensure} operations find what exists before creating, so they can be repeated. Failures
 * are {@link ProviderException}s with provider {@code azure} and Graph's error code, retryable for throttling, server
 * errors and connection failures. Each request is sent once, since the engine is the only layer that retries (see
 * {@link GraphTransport}). Thread-safe.
 */
public final class EntraDirectory implements AutoCloseable {
  /** Graph's scope for a client-credentials or user token. */
  public static final String GRAPH_SCOPE = "https://graph.microsoft.com/.default";
  static final String MULTI_TENANT = "AzureADMultipleOrgs";
  private static final ObjectMapper JSON = new ObjectMapper()
      .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  private final GraphTransport graph;

  private EntraDirectory(GraphTransport graph) {
    this.graph = graph;
  }

  /** A directory on the public Microsoft Graph. */
  public static EntraDirectory create(TokenCredential credential) {
    return create(credential, URI.create("https://graph.microsoft.com/v1.0"));
  }

  /**
   * A directory on another Graph endpoint, such as {@code http://127.0.0.1:<port>/v1.0} for a fake. The token goes
   * only to that endpoint's host, and plain http is accepted only for loopback hosts.
   *
   * @throws IllegalArgumentException if {@code graphBase} is neither https nor http to a loopback host
   */
  public static EntraDirectory create(TokenCredential credential, URI graphBase) {
    return new EntraDirectory(GraphTransport.create(graphBase, credential, GRAPH_SCOPE, JSON));
  }

  /**
   * The multi-tenant application named {@code displayName} that carries {@code tag}, created if there is none.
   * Display names are not unique in a tenant, so the tag tells ours from a namesake; an application of ours that is
   * no longer multi-tenant is made so again.
   */
  public EntraApplication ensureApplication(String displayName, String tag) {
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(tag, "tag");
    Optional<JsonNode> existing = findApplicationObject(displayName, tag);
    if (existing.isPresent()) {
      JsonNode app = existing.get();
      if (!MULTI_TENANT.equals(app.path("signInAudience").asText(null))) {
        graph.send("PATCH", "/applications/" + segment(text(app, "id")), Map.of("signInAudience", MULTI_TENANT));
      }
      return application(app);
    }
    Map<String, Object> app = new LinkedHashMap<>();
    app.put("displayName", displayName);
    app.put("signInAudience", MULTI_TENANT);
    app.put("tags", List.of(tag));
    return application(graph.send("POST", "/applications", app));
  }

  /** The application named {@code displayName} that carries {@code tag}, if there is one; creates nothing. */
  public Optional<EntraApplication> findApplication(String displayName, String tag) {
    return findApplicationObject(Objects.requireNonNull(displayName, "displayName"),
        Objects.requireNonNull(tag, "tag")).map(EntraDirectory::application);
  }

  private Optional<JsonNode> findApplicationObject(String displayName, String tag) {
    return graph.list("/applications" + filter("displayName eq " + literal(displayName))).stream()
        .filter(app -> tags(app).contains(tag)).findFirst();
  }

  /** The applications that carry {@code tag}, in one request ({@code $filter=tags/any(t:t eq '..')}). */
  public List<EntraApplication> applicationsTagged(String tag) {
    Objects.requireNonNull(tag, "tag");
    return graph.list("/applications" + filter("tags/any(t:t eq " + literal(tag) + ")")).stream()
        .map(EntraDirectory::application).toList();
  }

  /**
   * The tags that start with {@code prefix} of the applications that carry one, in one request
   * ({@code $filter=tags/any(t:startswith(t,'..'))}), by application object id.
   */
  public Map<String, List<String>> applicationTagsStartingWith(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    Map<String, List<String>> tags = new LinkedHashMap<>();
    for (JsonNode app : graph.list("/applications" + filter("tags/any(t:startswith(t," + literal(prefix) + "))"))) {
      tags.put(text(app, "id"), tags(app).stream().filter(t -> t.startsWith(prefix)).toList());
    }
    return tags;
  }

  /** The application with this object id, if it exists. */
  public Optional<EntraApplication> getApplication(String objectId) {
    Objects.requireNonNull(objectId, "objectId");
    return found(() -> graph.send("GET", "/applications/" + segment(objectId), null))
        .map(EntraDirectory::application);
  }

  /** The service principal with this object id, if it exists. */
  public Optional<EntraServicePrincipal> getServicePrincipal(String objectId) {
    Objects.requireNonNull(objectId, "objectId");
    return found(() -> graph.send("GET", "/servicePrincipals/" + segment(objectId), null))
        .map(EntraDirectory::principal);
  }

  /** The service principals that carry {@code tag}, in one request. */
  public List<EntraServicePrincipal> servicePrincipalsTagged(String tag) {
    Objects.requireNonNull(tag, "tag");
    return graph.list("/servicePrincipals" + filter("tags/any(t:t eq " + literal(tag) + ")")).stream()
        .map(EntraDirectory::principal).toList();
  }

  /** The service principal of the application {@code appId} in this tenant, if there is one; creates nothing. */
  public Optional<EntraServicePrincipal> findServicePrincipal(String appId) {
    Objects.requireNonNull(appId, "appId");
    return graph.list("/servicePrincipals" + filter("appId eq " + literal(appId))).stream().findFirst()
        .map(EntraDirectory::principal);
  }

  /**
   * The service principal of the application {@code appId} in this tenant, created if there is none. For another
   * tenant's multi-tenant application, such as MST's, this consents to it here; Graph allows that only to callers
   * with a directory role for applications, and the error then says how to get one.
   */
  public EntraServicePrincipal ensureServicePrincipal(String appId) {
    return ensureServicePrincipal(appId, null);
  }

  /**
   * Like {@link #ensureServicePrincipal(String)}, and a principal created here carries {@code tag}, so that it can be
   * told later from one that existed before; an existing principal is returned as it is, tags unchanged.
   */
  public EntraServicePrincipal ensureServicePrincipal(String appId, String tag) {
    Objects.requireNonNull(appId, "appId");
    Optional<EntraServicePrincipal> existing = findServicePrincipal(appId);
    if (existing.isPresent()) {
      return existing.get();
    }
    Map<String, Object> principal = new LinkedHashMap<>();
    principal.put("appId", appId);
    if (tag != null) {
      principal.put("tags", List.of(tag));
    }
    try {
      return principal(graph.send("POST", "/servicePrincipals", principal));
    } catch (ProviderException e) {
      throw foreignApplicationDenied(appId, e).orElse(e);
    }
  }

  /**
   * Adds a password to the application, valid from {@code now} for {@code validity}; its value is in the answer
   * only.
   */
  public EntraPassword addPassword(String applicationObjectId, String displayName, Instant now, Duration validity) {
    Map<String, Object> credential = new LinkedHashMap<>();
    credential.put("displayName", displayName);
    credential.put("endDateTime", now.plus(validity).toString());
    JsonNode added = graph.send("POST", "/applications/" + segment(applicationObjectId) + "/addPassword",
        Map.of("passwordCredential", credential));
    String secret = added.path("secretText").asText("");
    UUID keyId = keyId(added);
    if (secret.isEmpty() || keyId == null) {
      throw new ProviderException("azure", "INVALID_RESPONSE", "Graph's answer to addPassword holds no key id or "
          + "password", null, 200, false, null);
    }
    return new EntraPassword(keyId, Secret.of(secret), dateTime(added.path("endDateTime").asText(null)));
  }

  /** The key ids of the application's passwords named {@code displayName}; empty if the application is gone. */
  public List<UUID> passwordKeyIds(String applicationObjectId, String displayName) {
    Objects.requireNonNull(displayName, "displayName");
    Optional<JsonNode> app = found(() -> graph.send("GET", "/applications/" + segment(applicationObjectId)
        + "?$select=" + encode("id,passwordCredentials"), null));
    List<UUID> ids = new ArrayList<>();
    app.ifPresent(a -> a.path("passwordCredentials").forEach(p -> {
      UUID keyId = keyId(p);
      if (displayName.equals(p.path("displayName").asText(null)) && keyId != null) {
        ids.add(keyId);
      }
    }));
    return List.copyOf(ids);
  }

  /**
   * Removes a password from the application, such as a short-lived one added for a single task; {@code false} if the
   * application is gone.
   */
  public boolean removePassword(String applicationObjectId, UUID keyId) {
    Map<String, Object> body = Map.of("keyId", Objects.requireNonNull(keyId, "keyId").toString());
    return deleted(() -> graph.send("POST", "/applications/" + segment(applicationObjectId) + "/removePassword",
        body));
  }

  /** The id of the tenant the credential signs in to. */
  public String tenantId() {
    List<JsonNode> organizations = graph.list("/organization");
    if (organizations.isEmpty() || organizations.get(0).path("id").asText("").isEmpty()) {
      throw new ProviderException("azure", "NoOrganization", "Graph lists no organization for this credential",
          null, 200, false, null);
    }
    return organizations.get(0).path("id").asText();
  }

  /** Deletes the service principal; {@code false} if it did not exist. */
  public boolean deleteServicePrincipal(String objectId) {
    return deleted(() -> graph.send("DELETE", "/servicePrincipals/" + segment(objectId), null));
  }

  /** Deletes the application (Entra keeps it as deleted for 30 days); {@code false} if it did not exist. */
  public boolean deleteApplication(String objectId) {
    return deleted(() -> graph.send("DELETE", "/applications/" + segment(objectId), null));
  }

  private static EntraServicePrincipal principal(JsonNode sp) {
    return new EntraServicePrincipal(text(sp, "id"), text(sp, "appId"), tags(sp));
  }

  private static EntraApplication application(JsonNode app) {
    return new EntraApplication(text(app, "id"), text(app, "appId"), text(app, "displayName"));
  }

  private static String text(JsonNode node, String field) {
    return node.path(field).isTextual() ? node.path(field).asText() : null;
  }

  private static List<String> tags(JsonNode node) {
    List<String> tags = new ArrayList<>();
    node.path("tags").forEach(t -> tags.add(t.asText()));
    return tags;
  }

  private static UUID keyId(JsonNode password) {
    try {
      String id = password.path("keyId").asText("");
      return id.isEmpty() ? null : UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static OffsetDateTime dateTime(String value) {
    try {
      return value == null ? null : OffsetDateTime.parse(value);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** Graph's answer when the caller may create service principals only for its own tenant's applications. */
  private static Optional<ProviderException> foreignApplicationDenied(String appId, ProviderException e) {
    if (e.httpStatus() != 403 || !e.getMessage().contains("backing application of the service principal")) {
      return Optional.empty();
    }
    return Optional.of(new ProviderException("azure", e.errorCode(), "cannot create a service principal for the"
        + " application " + appId + " of another tenant: the signed-in identity may only create them for its own"
        + " tenant's applications. Sign in as a user with the Application Administrator or Cloud Application"
        + " Administrator role, or have one create it once with 'az ad sp create --id " + appId + "'",
        e.requestId().orElse(null), e.httpStatus(), false, e));
  }

  private static boolean deleted(Runnable delete) {
    return found(() -> {
      delete.run();
      return true;
    }).isPresent();
  }

  private static <T> Optional<T> found(Supplier<T> request) {
    try {
      return Optional.ofNullable(request.get());
    } catch (ProviderException e) {
      if (e.httpStatus() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** An OData string literal: quoted, with quotes doubled. */
  static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  private static String filter(String expression) {
    return "?$filter=" + encode(expression);
  }

  /** A path segment, such as an object id, that cannot leave its place in the path. */
  private static String segment(String value) {
    return encode(Objects.requireNonNull(value, "objectId"));
  }

  /** Percent-encoding, with a space as {@code %20}: Graph does not read {@code +} as a space in every place. */
  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Nothing to release: the JDK's HTTP client frees its connections and thread once it is unreachable. */
  @Override
  public void close() {}
}
