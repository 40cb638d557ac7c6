package dev.cloudpg.azure.internal;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.management.exception.ManagementException;
import com.azure.identity.CredentialUnavailableException;
import dev.cloudpg.ProviderException;
import dev.cloudpg.spi.Retry;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Maps Azure SDK and Kubernetes client exceptions to {@link ProviderException}s and classifies them for the engine's
 * retries ({@link #retry}).
 */
public final class AzureErrors {
  /**
   * How long a refusal that clears once a change of this run has propagated is retried: Azure documents up to ten
   * minutes for a new role assignment or principal to be visible everywhere.
   */
  public static final Duration PROPAGATION = Duration.ofMinutes(15);
  /**
   * How long a request that AKS refuses while another operation runs on the cluster (an add-on's, a node pool's) is
   * retried: longer than a cluster's own create or update takes.
   */
  public static final Duration ANOTHER_OPERATION = Duration.ofMinutes(30);

  /** Codes of throttling and of failures on Azure's side that the next attempt may not see. */
  static final Set<String> TRANSIENT_CODES = Set.of("TooManyRequests", "RetryableError", "InternalServerError",
      "ServiceUnavailable", "GatewayTimeout", "ConnectionError");
  /**
   * Refusals that clear once a change this run made is visible everywhere: a new role assignment
   * ({@code AuthorizationFailed}), a new principal ({@code PrincipalNotFound}), a resource just provisioned, a role
   * definition whose assignments were just deleted.
   */
  static final Set<String> PROPAGATION_CODES = Set.of("AuthorizationFailed", "PrincipalNotFound",
      "ReferencedResourceNotProvisioned", "RoleDefinitionHasAssignments");
  /** Refusals while another operation runs on the resource, which clear once that operation is done. */
  static final Set<String> ANOTHER_OPERATION_CODES = Set.of("AnotherOperationInProgress",
      "RetryableErrorDueToAnotherOperation");

  private static final String AZURE = "azure";
  private static final String KUBERNETES = "kubernetes";

  /** ARM's codes for a token it does not accept: expired, malformed, or from a tenant the subscription is not in. */
  static final Set<String> AUTHENTICATION_CODES = Set.of(
      "InvalidAuthenticationToken", "InvalidAuthenticationTokenTenant", "ExpiredAuthenticationToken",
      "AuthenticationFailed", "InvalidAuthenticationTokenAudience");

  /** What to do when there is no Azure login or Azure refuses it. */
  static final String LOGIN_HINT = "log in with 'az login' (add --tenant T for another tenant), or set "
      + "AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET for a service principal";

  /**
   * The sources DefaultAzureCredential tries, by the words its message uses for each, with the name a reader knows
   * them by; they are listed in the order the message names them.
   */
  private static final Map<String, String> CREDENTIAL_SOURCES = new LinkedHashMap<>();

  static {
    CREDENTIAL_SOURCES.put("EnvironmentCredential",
        "the environment variables AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET");
    CREDENTIAL_SOURCES.put("WorkloadIdentityCredential", "workload identity");
    CREDENTIAL_SOURCES.put("ManagedIdentityCredential", "managed identity");
    CREDENTIAL_SOURCES.put("IntelliJ", "IntelliJ");
    CREDENTIAL_SOURCES.put("Visual Studio Code", "VS Code");
    CREDENTIAL_SOURCES.put("AzureCliCredential", "the Azure CLI");
    CREDENTIAL_SOURCES.put("Azure Power Shell", "Azure PowerShell");
    CREDENTIAL_SOURCES.put("AzureDeveloperCliCredential", "the Azure Developer CLI");
  }

  private AzureErrors() {}

  /**
   * How the engine treats a translated failure: throttling, 5xx (but 501 and 505), reset connections and timeouts are
   * transient; the refusals of {@link #PROPAGATION_CODES} are propagation within {@link #PROPAGATION}; AKS's 409
   * {@code OperationNotAllowed} while another operation is in progress, and the codes of
   * {@link #ANOTHER_OPERATION_CODES}, propagation within {@link #ANOTHER_OPERATION}; everything else is final (a 409
   * {@code OperationNotAllowed} for a quota, say).
   */
  public static Retry retry(Throwable e) {
    if (!(e instanceof ProviderException)) {
      return Retry.never();
    }
    ProviderException p = (ProviderException) e;
    return classify(p.provider(), p.errorCode(), p.httpStatus(), p.getMessage());
  }

  private static Retry classify(String provider, String code, int status, String message) {
    if (KUBERNETES.equals(provider)) {
      // 409: the object changed between the read and the write of an apply; the next attempt reads it again.
      return "ConnectionError".equals(code) || status == 409 || status == 429 || serverError(status)
          ? Retry.transientError() : Retry.never();
    }
    if (status == 429 || serverError(status) || TRANSIENT_CODES.contains(code)) {
      return Retry.transientError();
    }
    if (PROPAGATION_CODES.contains(code)) {
      return Retry.propagation(PROPAGATION);
    }
    if (ANOTHER_OPERATION_CODES.contains(code) || "OperationNotAllowed".equals(code)
        && String.valueOf(message).toLowerCase(Locale.ROOT).contains("in progress")) {
      return Retry.propagation(ANOTHER_OPERATION);
    }
    return Retry.never();
  }

  /** Whether {@link #retry} retries such a failure at all, for {@link ProviderException#retryable()}. */
  private static boolean retryable(String provider, String code, int status, String message) {
    return !classify(provider, code, status, message).isNever();
  }

  private static boolean serverError(int status) {
    return status >= 500 && status != 501 && status != 505;
  }

  /** The exception the engine reports for {@code e}: a {@link ProviderException} for service and I/O errors. */
  public static RuntimeException translate(RuntimeException e) {
    if (e instanceof ProviderException) {
      return e;
    }
    if (e instanceof ManagementException) {
      ManagementException m = (ManagementException) e;
      int status = m.getResponse() == null ? 0 : m.getResponse().getStatusCode();
      String code = code(m);
      String message = m.getValue() != null && m.getValue().getMessage() != null ? m.getValue().getMessage()
          : String.valueOf(m.getMessage());
      if (AUTHENTICATION_CODES.contains(code)) {
        message += "; Azure refused the credential's token: " + LOGIN_HINT;
      }
      return new ProviderException(AZURE, code, message, requestId(m), status, retryable(AZURE, code, status, message),
          e);
    }
    if (e instanceof ClientAuthenticationException) {
      return credentialFailed((ClientAuthenticationException) e);
    }
    if (e instanceof HttpResponseException) {
      HttpResponseException h = (HttpResponseException) e;
      int status = h.getResponse() == null ? 0 : h.getResponse().getStatusCode();
      String code = "Http" + status;
      String message = String.valueOf(h.getMessage());
      return new ProviderException(AZURE, code, message, requestId(h), status, retryable(AZURE, code, status, message),
          e);
    }
    if (e instanceof KubernetesClientException) {
      KubernetesClientException k = (KubernetesClientException) e;
      String reason = k.getStatus() != null && k.getStatus().getReason() != null ? k.getStatus().getReason()
          : "KubernetesError";
      String message = String.valueOf(k.getMessage());
      // No status: the request never got an answer; a reset or timed-out connection is worth another attempt.
      boolean unanswered = k.getCode() <= 0;
      if (unanswered && isIoProblem(e)) {
        reason = "ConnectionError";
      }
      int status = unanswered ? 0 : k.getCode();
      return new ProviderException(KUBERNETES, reason, message, null, status,
          retryable(KUBERNETES, reason, status, message), e);
    }
    if (isIoProblem(e)) {
      // A reset or timed-out connection: the request may or may not have reached Azure.
      return new ProviderException(AZURE, "ConnectionError", String.valueOf(e.getMessage()), null, 0, true, e);
    }
    return e;
  }

  /**
   * The credential could not get a token: no login anywhere it looks ({@link CredentialUnavailableException}), or the
   * identity platform refused it. One sentence saying which and how to log in, instead of the SDK's paragraph per
   * credential source; the SDK's exception stays the cause.
   */
  static ProviderException credentialFailed(ClientAuthenticationException e) {
    String sdk = String.valueOf(e.getMessage());
    int status = e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
    List<String> tried = new ArrayList<>();
    CREDENTIAL_SOURCES.entrySet().stream().filter(s -> sdk.contains(s.getKey()))
        .sorted((a, b) -> Integer.compare(sdk.indexOf(a.getKey()), sdk.indexOf(b.getKey())))
        .forEach(s -> tried.add(s.getValue()));
    if (e instanceof CredentialUnavailableException || sdk.contains("authentication unavailable")) {
      String what = tried.size() > 1 || sdk.contains("default-azure-credential")
          ? "DefaultAzureCredential found no Azure login" + (tried.isEmpty() ? "" : " (it tried "
              + String.join(", ", tried) + ")")
          : "the Azure credential has no login to use: " + firstLine(sdk);
      return new ProviderException("azure", "CredentialUnavailable", what + "; " + LOGIN_HINT, null, status, false,
          e);
    }
    return new ProviderException("azure", "AuthenticationFailed", "signing in to Azure failed: " + firstLine(sdk)
        + "; " + LOGIN_HINT, null, status, false, e);
  }

  private static String firstLine(String text) {
    String line = text.strip().lines().findFirst().orElse("").strip();
    return line.length() <= 300 ? line : line.substring(0, 297) + "...";
  }

  /** The ARM error code of {@code m}, or {@code Http<status>} when the body has none. */
  private static String code(ManagementException m) {
    if (m.getValue() != null && m.getValue().getCode() != null) {
      return m.getValue().getCode();
    }
    return m.getResponse() == null ? "" : "Http" + m.getResponse().getStatusCode();
  }

  /** The result of a GET, or empty when ARM, Kubernetes or a translated error answers 404. */
  public static <T> Optional<T> ifFound(Supplier<T> get) {
    try {
      return Optional.ofNullable(get.get());
    } catch (RuntimeException e) {
      if (isNotFound(e)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Whether {@code e} says the resource (or its parent) does not exist. */
  static boolean isNotFound(Throwable e) {
    if (e instanceof ProviderException) {
      return ((ProviderException) e).httpStatus() == 404;
    }
    if (e instanceof HttpResponseException && ((HttpResponseException) e).getResponse() != null
        && ((HttpResponseException) e).getResponse().getStatusCode() == 404) {
      return true;
    }
    return e instanceof KubernetesClientException && ((KubernetesClientException) e).getCode() == 404;
  }


  private static String requestId(HttpResponseException e) {
    return Optional.ofNullable(e.getResponse()).map(r -> r.getHeaderValue(HttpHeaderName.X_MS_REQUEST_ID))
        .orElse(null);
  }

  private static boolean isIoProblem(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException || t instanceof UncheckedIOException || t instanceof TimeoutException) {
        return true;
      }
    }
    return false;
  }
}
