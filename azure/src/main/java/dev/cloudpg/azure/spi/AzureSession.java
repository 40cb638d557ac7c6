package dev.cloudpg.azure.spi;

import com.azure.core.credential.TokenCredential;
import com.azure.resourcemanager.authorization.AuthorizationManager;
import com.azure.resourcemanager.authorization.models.PrincipalType;
import com.azure.resourcemanager.network.NetworkManager;
import dev.cloudpg.ProviderException;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.azure.AzureCloud;
import dev.cloudpg.azure.internal.AzureContext;
import dev.cloudpg.azure.internal.AzureContexts;
import dev.cloudpg.azure.internal.AzureErrors;
import dev.cloudpg.azure.internal.AzureLeaseStore;
import dev.cloudpg.azure.internal.Guids;
import dev.cloudpg.azure.internal.RoleAssignmentResource;
import dev.cloudpg.azure.internal.VnetPeeringResource;
import dev.cloudpg.spi.LeaseStore;
import dev.cloudpg.spi.Output;
import dev.cloudpg.spi.Resource;
import dev.cloudpg.spi.Retry;
import dev.cloudpg.spi.StepContext;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The signed-in Azure side of an {@link AzureCloud}, for a module that adds its own resources beside cloudpg-azure's:
 * its subscription, tenant and credential, resource managers on its one HTTP pipeline (no retry policy, so that the
 * engine is the one retry layer), its lease store, and the two Azure resources such a module reuses, a role
 * assignment and one direction of a VNet peering. The static methods translate and classify Azure's failures the way
 * cloudpg-azure does. Thread-safe; it sends nothing until it is used.
 */
public final class AzureSession {
  /** How long a refusal that waits for this run's own change to reach every ARM or Entra ID replica is retried. */
  public static final Duration PROPAGATION = AzureErrors.PROPAGATION;
  /** The built-in role Network Contributor, the same GUID in every tenant. */
  public static final String NETWORK_CONTRIBUTOR = RoleAssignmentResource.NETWORK_CONTRIBUTOR;
  /** A {@link #vnetPeering} output: the peering's full id, under its local VNet. */
  public static final Output<String> PEERING_ID = VnetPeeringResource.ID;
  /** A {@link #vnetPeering} output: the id of the VNet the peering points at. */
  public static final Output<String> PEERING_REMOTE_VNET_ID = VnetPeeringResource.REMOTE_VNET_ID;

  private final AzureContext azure;

  private AzureSession(AzureContext azure) {
    this.azure = azure;
  }

  /**
   * The Azure side of a cloud.
   *
   * @param cloud a cloud built with {@link AzureCloud#builder()}
   * @return its session, which shares the cloud's credential, pipeline and clients
   */
  public static AzureSession of(AzureCloud cloud) {
    return new AzureSession(AzureContexts.of(Objects.requireNonNull(cloud, "cloud")));
  }

  /**
   * The subscription the cloud works in.
   *
   * @return its id
   */
  public String subscription() {
    return azure.subscription();
  }

  /**
   * The tenant the cloud was given.
   *
   * @return its id, or empty when the cloud signs in to its credential's home tenant
   */
  public Optional<String> tenant() {
    return azure.tenant();
  }

  /**
   * The credential the cloud signs in with.
   *
   * @return the credential given to its builder, or the default chain
   */
  public TokenCredential credential() {
    return azure.credential();
  }

  /**
   * The authorization manager of the cloud's subscription: role definitions and role assignments.
   *
   * @return a manager on the cloud's pipeline
   */
  public AuthorizationManager authorization() {
    return azure.managers().authorization();
  }

  /**
   * A network manager for a subscription, signed in as the cloud's credential.
   *
   * @param subscription the subscription's id, the cloud's own or another one of its tenant
   * @return a manager on the cloud's pipeline
   */
  public NetworkManager network(String subscription) {
    return azure.network(subscription, List.of());
  }

  /**
   * A network manager for a subscription, signed in as another principal, whose requests also carry that principal's
   * tokens for other tenants (the {@code x-ms-authorization-auxiliary} header): how a multi-tenant application peers
   * VNets across tenants.
   *
   * @param principal the principal's credential in the subscription's tenant
   * @param otherTenants its credentials in the other tenants, in any order
   * @param subscription the subscription's id
   * @return a manager on a pipeline like the cloud's
   */
  public NetworkManager networkAs(TokenCredential principal, List<TokenCredential> otherTenants, String subscription) {
    return azure.networkAs(principal, List.copyOf(otherTenants), subscription);
  }

  /**
   * A lease store in the cloud's subscription for stacks of another provider: each stack's lease is a Private DNS
   * zone in the stack's resource group, written with ETag preconditions, as cloudpg-azure's own leases are.
   *
   * @param provider the provider's name ({@code mst}), which keeps its leases apart from other providers'
   * @return the store
   */
  public LeaseStore leases(String provider) {
    return new AzureLeaseStore(azure, provider);
  }

  /**
   * A role for a principal on a scope: one synchronous PUT, under a GUID name derived from the subscription, the
   * owner and the key, so that every run finds it; its description names the owner, since role assignments carry no
   * tags. A refusal because the principal is seconds old is classified as propagation by {@link #retry}.
   *
   * @param stack the stack it belongs to
   * @param owner who it belongs to, in its name and description: the stack's name, qualified where stacks of one
   *     name can meet on one scope
   * @param name what it is for, the name of its key
   * @param role a built-in role's GUID ({@link #NETWORK_CONTRIBUTOR}), or a role definition's full id
   * @param roleName the role's name, as plans show it
   * @param principalType the principal's type, always sent so that ARM does not look the principal up
   * @param scope the scope's resource id, from the dependencies' outputs
   * @param principal the principal's object id, from the dependencies' outputs
   * @return the resource, with no dependencies of its own
   */
  public Resource roleAssignment(Stack stack, String owner, String name, String role, String roleName,
      PrincipalType principalType, Function<StepContext, String> scope, Function<StepContext, String> principal) {
    return new RoleAssignmentResource(azure, stack, owner, name, List.of(), role, roleName, principalType, scope,
        principal);
  }

  /**
   * One direction of a VNet peering: a child of the local VNet pointing at the remote one, with traffic between the
   * two allowed and forwarded traffic not, found by its name; done once ARM reports it {@code Succeeded}. Reading,
   * checking and deleting run as the cloud's own credential; only the create uses {@code writer}.
   *
   * @param stack the stack it belongs to
   * @param keyName the name of its key
   * @param peeringName its name under the local VNet
   * @param localVnetId the id of the VNet it belongs to
   * @param remoteVnetId the id of the VNet it points at; it may throw {@link IllegalStateException} while that is not
   *     known yet, which a read then does not check
   * @param writer the network manager that creates it in a subscription ({@link #networkAs}, say)
   * @return the resource, with no dependencies of its own; outputs {@link #PEERING_ID} and
   *     {@link #PEERING_REMOTE_VNET_ID}
   */
  public Resource vnetPeering(Stack stack, String keyName, String peeringName,
      Function<StepContext, String> localVnetId, Function<StepContext, String> remoteVnetId,
      BiFunction<StepContext, String, NetworkManager> writer) {
    return new VnetPeeringResource(azure, stack, keyName, peeringName, List.<ResourceKey>of(), localVnetId,
        remoteVnetId, writer);
  }

  /**
   * The exception the engine should report for an Azure SDK failure: a {@link ProviderException} of provider
   * {@code azure} for service, sign-in and I/O errors, with ARM's error code and request id; one already translated
   * is returned as it is.
   *
   * @param e what an Azure SDK call threw
   * @return the exception to report
   */
  public static RuntimeException translate(RuntimeException e) {
    return AzureErrors.translate(e);
  }

  /**
   * How the engine retries a translated Azure failure: throttling, server errors and lost connections are transient;
   * ARM's refusals while this run's own change propagates, or while another operation runs on the same resource, are
   * propagation; everything else is final.
   *
   * @param e a failure, translated by {@link #translate}
   * @return the retry, {@link Retry#never()} for anything else
   */
  public static Retry retry(Throwable e) {
    return AzureErrors.retry(e);
  }

  /**
   * The result of an Azure SDK read, or empty when ARM answers that the resource does not exist.
   *
   * @param <T> what the read returns
   * @param get the read
   * @return its result, or empty on a 404
   */
  public static <T> Optional<T> ifFound(Supplier<T> get) {
    return AzureErrors.ifFound(get);
  }

  /**
   * Whether a text is a GUID, as subscription, tenant and application ids are.
   *
   * @param s the text, or null
   * @return whether it is a GUID in its 36-character form
   */
  public static boolean isGuid(String s) {
    return Guids.isGuid(s);
  }

  /**
   * A GUID derived from some names, the same for the same names on every run: the name of a resource that carries no
   * tags (a role assignment or role definition) by which the next run finds it.
   *
   * @param parts the names, at least one
   * @return the GUID in its 36-character form
   */
  public static String derivedGuid(String... parts) {
    return Guids.derived(parts);
  }
}
