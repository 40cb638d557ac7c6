package dev.cloudpg.mst.internal;

import dev.cloudpg.azure.spi.AzureSession;
import dev.cloudpg.mst.ApplicationCredentials;
import dev.cloudpg.spi.WaitPolicy;
import java.net.URI;
import java.util.Optional;

/**
 * What the mst resources share: the Aiven project and cloud and its client, the Azure side (context, Entra ID
 * directory, tenant), MST's application id, how to sign in as an application, and the wait policy override.
 * Immutable: the clients are made when it is, and send nothing until a resource uses them.
 */
public final class MstContext {
  private final String project;
  private final String cloud;
  private final AivenClient aiven;
  private final AzureSession azure;
  private final String mstApplicationId;
  private final ApplicationCredentials applicationCredentials;
  private final WaitPolicy waitPolicy;
  private final EntraDirectory directory;

  /**
   * @param azure the Azure side, or null when no stack peers with Azure
   * @param graphEndpoint another Microsoft Graph base than the public one, or null
   * @param mstApplicationId MST's Azure application id, or null when no stack peers
   * @param waitPolicy one policy for every wait, or null for each resource's own
   */
  public MstContext(String project, String cloud, AivenClient aiven, AzureSession azure, URI graphEndpoint,
      String mstApplicationId, ApplicationCredentials applicationCredentials, WaitPolicy waitPolicy) {
    this.project = project;
    this.cloud = cloud;
    this.aiven = aiven;
    this.azure = azure;
    this.mstApplicationId = mstApplicationId;
    this.applicationCredentials = applicationCredentials;
    this.waitPolicy = waitPolicy;
    this.directory = azure == null ? null : graphEndpoint == null ? EntraDirectory.create(azure.credential())
        : EntraDirectory.create(azure.credential(), graphEndpoint);
  }

  public String project() {
    return project;
  }

  public String cloud() {
    return cloud;
  }

  AivenClient aiven() {
    return aiven;
  }

  /** The Azure side; only peerings use it, and validation has made sure it is there when a stack has any. */
  AzureSession azure() {
    if (azure == null) {
      throw new IllegalStateException("no Azure context: give MstCloud.builder().azure(..)");
    }
    return azure;
  }

  boolean hasAzure() {
    return azure != null;
  }

  Optional<String> mstApplicationId() {
    return Optional.ofNullable(mstApplicationId);
  }

  ApplicationCredentials applicationCredentials() {
    return applicationCredentials;
  }

  /** Releases the directory's HTTP client, if there is one. */
  public void close() {
    if (directory != null) {
      directory.close();
    }
  }

  /** The Entra ID directory of the Azure side's tenant, signed in with the Azure side's credential. */
  EntraDirectory directory() {
    azure();
    return directory;
  }

  /**
   * The user's tenant: the one the Azure side was given, else the one its credential signs in to, which is asked
   * each time rather than remembered.
   */
  String tenant() {
    return azure().tenant().orElseGet(() -> directory().tenantId());
  }

  WaitPolicy waitPolicy(WaitPolicy own) {
    return waitPolicy != null ? waitPolicy : own;
  }
}
