package dev.cloudpg.mst;

import com.azure.core.credential.TokenCredential;
import com.azure.identity.ClientSecretCredentialBuilder;
import dev.cloudpg.Secret;

/**
 * Makes the credential of an Entra ID application signing in to a tenant with a client secret. {@link MstCloud} signs
 * in as the peering's own application, in the user's tenant and in MST's, to create the Azure half of the peering.
 * The default is Azure Identity's {@code ClientSecretCredential}; tests pass a factory of their own, since no fake
 * serves Entra ID's token endpoint.
 */
@FunctionalInterface
public interface ApplicationCredentials {
  /**
   * A credential of the application {@code appId} in {@code tenantId}.
   *
   * @param tenantId the tenant to sign in to: the user's, or MST's
   * @param appId the application (client) id
   * @param password the application's client secret; never logged
   * @return a credential that signs in as the application
   */
  TokenCredential forApplication(String tenantId, String appId, Secret password);

  /**
   * Azure Identity's {@code ClientSecretCredential}, asking Entra ID for each token once: a refusal goes to the
   * engine, which retries a password that has not replicated yet by itself.
   *
   * @return the factory of client secret credentials
   */
  static ApplicationCredentials clientSecret() {
    return (tenantId, appId, password) -> new ClientSecretCredentialBuilder().tenantId(tenantId).clientId(appId)
        .clientSecret(password.reveal()).maxRetry(0).build();
  }
}
