package dev.cloudpg.examples;

import com.azure.core.credential.TokenRequestContext;
import com.azure.core.exception.ClientAuthenticationException;
import dev.cloudpg.azure.AzureCloud;
import dev.cloudpg.azure.internal.AzureErrors;

/**
 * Asks a cloud's Azure credential for a token before anything is planned, so that a missing {@code az login} is said
 * in seconds and the same way everywhere: planning would find it too, but after the SDK's own retries of every read,
 * and MstCloud takes a failed Azure sign-in for one of the peering application, whose new password Entra ID may not
 * know yet, and retries it for minutes.
 */
final class AzureLogin {
  /** The scope of an Azure Resource Manager token. */
  static final String ARM_SCOPE = "https://management.azure.com/.default";

  private AzureLogin() {}

  /**
   * @throws dev.cloudpg.ProviderException saying which credential sources were tried and how to log in, when the
   *     credential has no token to give
   */
  static void check(AzureCloud azure) {
    try {
      azure.context().credential().getTokenSync(new TokenRequestContext().addScopes(ARM_SCOPE));
    } catch (ClientAuthenticationException e) {
      throw AzureErrors.translate(e);
    }
  }
}
