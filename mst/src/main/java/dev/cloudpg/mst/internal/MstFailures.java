package dev.cloudpg.mst.internal;

import com.azure.core.exception.ClientAuthenticationException;
import dev.cloudpg.ProviderException;
import dev.cloudpg.azure.spi.AzureSession;
import dev.cloudpg.spi.Retry;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the mst provider reports and classifies failures: Aiven's (provider {@code mst}), Microsoft Graph's and Entra ID
 * sign-ins' (provider {@code azure}, from {@link EntraDirectory} and {@link #translate}), and Azure Resource Manager's
 * (the azure module's {@link AzureSession#retry}).
 */
final class MstFailures {
  /** How long a refusal that waits for this run's own change to propagate is retried, as the azure module does. */
  static final Duration PROPAGATION = AzureSession.PROPAGATION;
  private static final Pattern AADSTS = Pattern.compile("AADSTS[0-9]+");
  /** Entra ID sign-in refusals of a new application or password not yet on every Entra ID server. */
  private static final Set<String> SIGN_IN_REPLICATING = Set.of("AADSTS7000215", "AADSTS700016",
      "ClientAuthentication");
  /**
   * Graph's refusals of an object made seconds ago that its replicas do not know yet: a service principal for an
   * application just created, a password for it.
   */
  private static final Set<String> GRAPH_REPLICATING = Set.of("Request_ResourceNotFound",
      "Request_BadRequest_ObjectNotFound");
  /**
   * ARM's refusal of the cross-tenant VNet peering while the application's rights in MST's tenant, which MST grants
   * once its side is made, have not reached every replica; the azure module classifies the others.
   */
  private static final Set<String> ARM_PROPAGATING = Set.of("LinkedAuthorizationFailed");

  private MstFailures() {}

  /** SDK exceptions as {@link ProviderException}s; one already translated is returned as it is. */
  static RuntimeException translate(RuntimeException e) {
    if (e instanceof ClientAuthenticationException) {
      return signInFailed((ClientAuthenticationException) e);
    }
    return AzureSession.translate(e);
  }

  /**
   * Transient: what Aiven's own client retries (429, 5xx but 501, {@code Retry-After}, connection failures), and
   * Graph's and ARM's throttling, server errors and connection failures. Propagation: a sign-in, Graph request or ARM
   * request refused until something this run made (the application, its password, a principal, a role assignment)
   * has reached every replica. ARM's failures otherwise as the azure module classifies them
   * ({@link AzureSession#retry}). Everything else fails at once.
   */
  static Retry retry(Throwable e) {
    if (!(e instanceof ProviderException)) {
      return Retry.never();
    }
    ProviderException p = (ProviderException) e;
    if (p.provider().equals("azure")) {
      if (SIGN_IN_REPLICATING.contains(p.errorCode()) || GRAPH_REPLICATING.contains(p.errorCode())
          || ARM_PROPAGATING.contains(p.errorCode()) || applicationNotReplicated(p)) {
        return Retry.propagation(PROPAGATION);
      }
      Retry arm = AzureSession.retry(p);
      if (!arm.isNever()) {
        return arm;
      }
    }
    return p.retryable() ? Retry.transientError() : Retry.never();
  }

  /** Graph's refusal of a service principal for an application made seconds ago, which its replica does not know. */
  private static boolean applicationNotReplicated(ProviderException p) {
    return p.httpStatus() == 400 && String.valueOf(p.getMessage()).contains("does not reference a valid application");
  }

  /**
   * Entra ID refused to sign in as the peering's application. A password or application a few seconds old is not
   * known to every Entra ID server yet, which clears up by itself; the message keeps only Entra ID's error code.
   */
  private static ProviderException signInFailed(ClientAuthenticationException e) {
    Matcher m = AADSTS.matcher(String.valueOf(e.getMessage()));
    String code = m.find() ? m.group() : "ClientAuthentication";
    boolean replicating = SIGN_IN_REPLICATING.contains(code);
    return new ProviderException("azure", code, "signing in as the peering's application failed"
        + (replicating ? "; a new application or password takes a while to reach every Entra ID server" : ""),
        null, e.getResponse() == null ? 0 : e.getResponse().getStatusCode(), replicating, null);
  }
}
