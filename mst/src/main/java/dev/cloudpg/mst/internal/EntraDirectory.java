package dev.cloudpg.mst.internal;

import com.azure.core.credential.TokenCredential;
import com.microsoft.graph.applications.item.addpassword.AddPasswordPostRequestBody;
import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.applications.item.removepassword.RemovePasswordPostRequestBody;
import com.microsoft.graph.models.Application;
import com.microsoft.graph.models.Organization;
import com.microsoft.graph.models.PasswordCredential;
import com.microsoft.graph.models.ServicePrincipal;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.ApiException;
import com.microsoft.kiota.RequestOption;
import com.microsoft.kiota.authentication.AzureIdentityAuthenticationProvider;
import com.microsoft.kiota.http.middleware.options.RetryHandlerOption;
import dev.cloudpg.ProviderException;
import dev.cloudpg.Secret;
import dev.cloudpg.spi.Text;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Response;

/**
 * The Entra ID objects a VNet peering with MST needs, through Microsoft Graph: a multi-tenant application with a
 * service principal and a password for Aiven to sign in as, a service principal for MST's own application, and the
 * tenant id. The {@code ensure} operations find what exists before creating, so they can be repeated. Failures are
 * {@link ProviderException}s with provider {@code azure} and Graph's error code, retryable for throttling, server
 * errors and connection failures. Each request is sent once: the Graph SDK's retry handler is off and OkHttp does not
 * retry on connection failures, since the engine is the only layer that retries. Thread-safe.
 */
public final class EntraDirectory implements AutoCloseable {
  /** Graph's scope for a client-credentials or user token. */
  public static final String GRAPH_SCOPE = "https://graph.microsoft.com/.default";
  static final String MULTI_TENANT = "AzureADMultipleOrgs";
  /** The Graph SDK's retry handler, told never to retry. */
  private static final RetryHandlerOption NO_RETRIES = new RetryHandlerOption((delay, attempt, request, response)
      -> false, 0, 0);

  private final GraphServiceClient graph;
  private final OkHttpClient http;

  private EntraDirectory(GraphServiceClient graph, OkHttpClient http) {
    this.graph = graph;
    this.http = http;
  }

  /** A directory on the public Microsoft Graph. */
  public static EntraDirectory create(TokenCredential credential) {
    return create(credential, URI.create("https://graph.microsoft.com/v1.0"));
  }

  /**
   * A directory on another Graph endpoint, such as {@code http://127.0.0.1:<port>/v1.0} for a fake. The token goes
   * only to that endpoint's host, and plain http is accepted only for loopback hosts.
   */
  public static EntraDirectory create(TokenCredential credential, URI graphBase) {
    // The authentication provider sends a token only to the hosts it allows; by default those are Graph's.
    var auth = new AzureIdentityAuthenticationProvider(credential, new String[] {graphBase.getHost()}, GRAPH_SCOPE);
    // Our own HTTP client (with Graph's middleware, less its retries), so that close() can release its connections.
    OkHttpClient http = GraphClientFactory.create(new RequestOption[] {NO_RETRIES}).retryOnConnectionFailure(false)
        .addNetworkInterceptor(EntraDirectory::noImmediateResend).build();
    GraphServiceClient graph = new GraphServiceClient(auth, http);
    graph.getRequestAdapter().setBaseUrl(stripSlash(graphBase.toString()));
    return new EntraDirectory(graph, http);
  }

  /**
   * OkHttp itself sends a request again, POSTs included, when it is answered 503 with {@code Retry-After: 0}; without
   * the header the 503 reaches us, and the engine decides.
   */
  private static Response noImmediateResend(Interceptor.Chain chain) throws IOException {
    Response response = chain.proceed(chain.request());
    return response.code() == 503 ? response.newBuilder().removeHeader("Retry-After").build() : response;
  }

  /**
   * The multi-tenant application named {@code displayName} that carries {@code tag}, created if there is none.
   * Display names are not unique in a tenant, so the tag tells ours from a namesake; an application of ours that is
   * no longer multi-tenant is made so again.
   */
  public EntraApplication ensureApplication(String displayName, String tag) {
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(tag, "tag");
    Optional<Application> existing = findApplicationObject(displayName, tag);
    if (existing.isPresent()) {
      Application app = existing.get();
      if (!MULTI_TENANT.equals(app.getSignInAudience())) {
        Application change = new Application();
        change.setSignInAudience(MULTI_TENANT);
        run(() -> graph.applications().byApplicationId(app.getId()).patch(change));
      }
      return application(app);
    }
    Application app = new Application();
    app.setDisplayName(displayName);
    app.setSignInAudience(MULTI_TENANT);
    app.setTags(List.of(tag));
    return application(call(() -> graph.applications().post(app)));
  }

  /** The application named {@code displayName} that carries {@code tag}, if there is one; creates nothing. */
  public Optional<EntraApplication> findApplication(String displayName, String tag) {
    return findApplicationObject(Objects.requireNonNull(displayName, "displayName"),
        Objects.requireNonNull(tag, "tag")).map(EntraDirectory::application);
  }

  private Optional<Application> findApplicationObject(String displayName, String tag) {
    return call(() -> graph.applications().get(request -> {
      request.queryParameters.filter = "displayName eq " + literal(displayName);
    })).getValue().stream().filter(app -> app.getTags() != null && app.getTags().contains(tag)).findFirst();
  }

  /** The applications that carry {@code tag}, in one request ({@code $filter=tags/any(t:t eq '..')}). */
  public List<EntraApplication> applicationsTagged(String tag) {
    Objects.requireNonNull(tag, "tag");
    return call(() -> graph.applications().get(request -> {
      request.queryParameters.filter = "tags/any(t:t eq " + literal(tag) + ")";
    })).getValue().stream().map(EntraDirectory::application).toList();
  }

  /** The application with this object id, if it exists. */
  public Optional<EntraApplication> getApplication(String objectId) {
    Objects.requireNonNull(objectId, "objectId");
    return found(() -> graph.applications().byApplicationId(objectId).get()).map(EntraDirectory::application);
  }

  /** The service principal with this object id, if it exists. */
  public Optional<EntraServicePrincipal> getServicePrincipal(String objectId) {
    Objects.requireNonNull(objectId, "objectId");
    return found(() -> graph.servicePrincipals().byServicePrincipalId(objectId).get())
        .map(EntraDirectory::principal);
  }

  /** The service principals that carry {@code tag}, in one request. */
  public List<EntraServicePrincipal> servicePrincipalsTagged(String tag) {
    Objects.requireNonNull(tag, "tag");
    return call(() -> graph.servicePrincipals().get(request -> {
      request.queryParameters.filter = "tags/any(t:t eq " + literal(tag) + ")";
    })).getValue().stream().map(EntraDirectory::principal).toList();
  }

  /** The service principal of the application {@code appId} in this tenant, if there is one; creates nothing. */
  public Optional<EntraServicePrincipal> findServicePrincipal(String appId) {
    Objects.requireNonNull(appId, "appId");
    return call(() -> graph.servicePrincipals().get(request -> {
      request.queryParameters.filter = "appId eq " + literal(appId);
    })).getValue().stream().findFirst().map(EntraDirectory::principal);
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
    ServicePrincipal principal = new ServicePrincipal();
    principal.setAppId(appId);
    if (tag != null) {
      principal.setTags(List.of(tag));
    }
    try {
      return principal(call(() -> graph.servicePrincipals().post(principal)));
    } catch (ProviderException e) {
      throw foreignApplicationDenied(appId, e).orElse(e);
    }
  }

  /**
   * Adds a password to the application, valid from {@code now} for {@code validity}; its value is in the answer
   * only.
   */
  public EntraPassword addPassword(String applicationObjectId, String displayName, Instant now, Duration validity) {
    PasswordCredential credential = new PasswordCredential();
    credential.setDisplayName(displayName);
    credential.setEndDateTime(now.plus(validity).atOffset(ZoneOffset.UTC));
    AddPasswordPostRequestBody body = new AddPasswordPostRequestBody();
    body.setPasswordCredential(credential);
    PasswordCredential added = call(() -> graph.applications().byApplicationId(applicationObjectId).addPassword()
        .post(body));
    return new EntraPassword(added.getKeyId(), Secret.of(added.getSecretText()), added.getEndDateTime());
  }

  /** The key ids of the application's passwords named {@code displayName}; empty if the application is gone. */
  public List<UUID> passwordKeyIds(String applicationObjectId, String displayName) {
    Objects.requireNonNull(displayName, "displayName");
    Optional<Application> app = found(() -> graph.applications().byApplicationId(applicationObjectId).get(request -> {
      request.queryParameters.select = new String[] {"id", "passwordCredentials"};
    }));
    return app.map(a -> a.getPasswordCredentials() == null ? List.<UUID>of() : a.getPasswordCredentials().stream()
        .filter(p -> displayName.equals(p.getDisplayName()) && p.getKeyId() != null)
        .map(PasswordCredential::getKeyId).toList()).orElse(List.of());
  }

  /**
   * Removes a password from the application, such as a short-lived one added for a single task; {@code false} if the
   * application is gone.
   */
  public boolean removePassword(String applicationObjectId, UUID keyId) {
    RemovePasswordPostRequestBody body = new RemovePasswordPostRequestBody();
    body.setKeyId(Objects.requireNonNull(keyId, "keyId"));
    return deleted(() -> graph.applications().byApplicationId(applicationObjectId).removePassword().post(body));
  }

  /** The id of the tenant the credential signs in to. */
  public String tenantId() {
    List<Organization> organizations = call(() -> graph.organization().get()).getValue();
    if (organizations == null || organizations.isEmpty()) {
      throw new ProviderException("azure", "NoOrganization", "Graph lists no organization for this credential",
          null, 200, false, null);
    }
    return organizations.get(0).getId();
  }

  /** Deletes the service principal; {@code false} if it did not exist. */
  public boolean deleteServicePrincipal(String objectId) {
    return deleted(() -> graph.servicePrincipals().byServicePrincipalId(objectId).delete());
  }

  /** Deletes the application (Entra keeps it as deleted for 30 days); {@code false} if it did not exist. */
  public boolean deleteApplication(String objectId) {
    return deleted(() -> graph.applications().byApplicationId(objectId).delete());
  }

  private static EntraServicePrincipal principal(ServicePrincipal sp) {
    return new EntraServicePrincipal(sp.getId(), sp.getAppId(), sp.getTags());
  }

  private static EntraApplication application(Application app) {
    return new EntraApplication(app.getId(), app.getAppId(), app.getDisplayName());
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
      run(delete);
      return true;
    }).isPresent();
  }

  private static <T> Optional<T> found(Supplier<T> request) {
    try {
      return Optional.ofNullable(call(request));
    } catch (ProviderException e) {
      if (e.httpStatus() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static void run(Runnable request) {
    call(() -> {
      request.run();
      return null;
    });
  }

  private static <T> T call(Supplier<T> request) {
    try {
      return request.get();
    } catch (ODataError e) {
      var error = e.getError();
      String code = error != null && error.getCode() != null ? error.getCode() : "HTTP_" + e.getResponseStatusCode();
      String message = error != null && error.getMessage() != null ? error.getMessage() : "no error message";
      String requestId = error != null && error.getInnerError() != null ? error.getInnerError().getRequestId() : null;
      throw translated(code, message, requestId, e.getResponseStatusCode(), e);
    } catch (ApiException e) {
      throw translated("HTTP_" + e.getResponseStatusCode(), "Graph answered without an error body", null,
          e.getResponseStatusCode(), e);
    } catch (RuntimeException e) {
      if (e.getCause() instanceof IOException) {
        throw new ProviderException("azure", "CONNECTION_FAILED", "Microsoft Graph: " + e.getCause(), null, 0, true,
            e);
      }
      throw e;
    }
  }

  private static ProviderException translated(String code, String message, String requestId, int status,
      Exception cause) {
    boolean retryable = status == 429 || (status >= 500 && status != 501);
    return new ProviderException("azure", code, Text.escape(message), requestId, status, retryable, cause);
  }

  /** An OData string literal: quoted, with quotes doubled. */
  static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** Releases the HTTP client's connections and threads. */
  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
