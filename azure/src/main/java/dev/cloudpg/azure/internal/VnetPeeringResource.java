package dev.cloudpg.azure.internal;

import static dev.cloudpg.azure.internal.AzureErrors.ifFound;

import com.azure.core.management.SubResource;
import com.azure.resourcemanager.network.NetworkManager;
import com.azure.resourcemanager.network.fluent.VirtualNetworkPeeringsClient;
import com.azure.resourcemanager.network.fluent.models.VirtualNetworkPeeringInner;
import dev.cloudpg.ConflictException;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Output;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Probe;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.Text;
import dev.cloudpg.spi.WaitPolicy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One direction of a VNet peering: a child of the local VNet pointing at the remote one, with traffic between the
 * two allowed and forwarded traffic not. A peering carries no tags: it is the stack's by its deterministic name and
 * its remote VNet. When the remote VNet is in another tenant the creating network manager adds that tenant's token;
 * a 403 {@code AuthorizationFailed} right after the role that allows it was assigned is a refusal the provider
 * classifies as propagation, which the engine retries during an apply. The create is the one PUT; the check reads the
 * peering until its {@code provisioningState} is Succeeded. Reading, checking and deleting need rights on the local
 * VNet only, so they run as the cloud's own credential. Immutable and thread-safe.
 */
public final class VnetPeeringResource extends AzureResource {
  /** The peering's full id, under its local VNet. */
  public static final Output<String> ID = Output.string("id");
  public static final Output<String> NAME = Output.string("name");
  /** The id of the VNet it points at. */
  public static final Output<String> REMOTE_VNET_ID = Output.string("remoteVnetId");
  /** {@code Initiated} until the remote VNet peers back, then {@code Connected}. */
  public static final Output<String> PEERING_STATE = Output.string("peeringState");

  private final String peeringName;
  private final Function<StepContext, String> localVnetId;
  private final Function<StepContext, String> remoteVnetId;
  private final BiFunction<StepContext, String, NetworkManager> network;

  /**
   * @param keyName the name of its key ({@link Keys#vnetPeering(String)})
   * @param localVnetId the id of the VNet the peering belongs to
   * @param remoteVnetId the id of the VNet it points at; it may throw {@link IllegalStateException} while the remote
   *     VNet is not known yet (before the peering exists), which a read then does not check
   * @param network the manager that creates the peering in a subscription, with auxiliary tokens when the remote is
   *     in another tenant
   */
  public VnetPeeringResource(AzureContext azure, Stack stack, String keyName, String peeringName,
      List<ResourceKey> dependencies, Function<StepContext, String> localVnetId,
      Function<StepContext, String> remoteVnetId, BiFunction<StepContext, String, NetworkManager> network) {
    super(azure, stack, Keys.vnetPeering(keyName), dependencies);
    this.peeringName = peeringName;
    this.localVnetId = localVnetId;
    this.remoteVnetId = remoteVnetId;
    this.network = network;
  }

  private static VirtualNetworkPeeringsClient client(NetworkManager manager) {
    return manager.serviceClient().getVirtualNetworkPeerings();
  }

  private static String part(String id, String after) {
    String[] parts = id.split("/");
    for (int i = 0; i < parts.length - 1; i++) {
      if (parts[i].equalsIgnoreCase(after)) {
        return parts[i + 1];
      }
    }
    throw new IllegalArgumentException("not a VNet id: " + Text.quote(id));
  }

  /** The peering as the cloud's own credential reads it. */
  private Optional<VirtualNetworkPeeringInner> get(String local) {
    return ifFound(() -> client(azure.network(part(local, "subscriptions"), List.of()))
        .get(part(local, "resourceGroups"), part(local, "virtualNetworks"), peeringName));
  }

  @Override
  WaitPolicy ownWaitPolicy() {
    return SLOW;
  }

  @Override
  public Map<String, String> desired() {
    return Map.of("name", peeringName, "allowVirtualNetworkAccess", "true");
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    String local = localVnetId.apply(ctx);
    return get(local).map(p -> {
      Optional<String> remote = expectedRemote(ctx);
      String actual = remoteOf(p);
      if (remote.isPresent() && !remote.get().equalsIgnoreCase(actual)) {
        return Observed.foreign("VNet peering " + Text.quote(peeringName) + " of " + Text.quote(local)
            + " toward another VNet");
      }
      return Observed.owned(Map.of("name", p.name(),
          "allowVirtualNetworkAccess", String.valueOf(p.allowVirtualNetworkAccess())), outputs(p));
    });
  }

  /** The remote VNet the spec names, when it is known before the peering exists (not so for MST's VNet). */
  private Optional<String> expectedRemote(StepContext ctx) {
    try {
      return Optional.of(remoteVnetId.apply(ctx));
    } catch (IllegalStateException e) {
      return Optional.empty();
    }
  }

  private static String remoteOf(VirtualNetworkPeeringInner p) {
    return p.remoteVirtualNetwork() == null ? "" : p.remoteVirtualNetwork().id();
  }

  private static Outputs outputs(VirtualNetworkPeeringInner p) {
    return Outputs.builder().put(ID, p.id()).put(NAME, p.name())
        .put(REMOTE_VNET_ID, p.remoteVirtualNetwork() == null ? null : p.remoteVirtualNetwork().id())
        .put(PEERING_STATE, p.peeringState() == null ? "Initiated" : p.peeringState().toString()).build();
  }

  /**
   * Sends the PUT, after making sure that no peering of this name leads elsewhere: a PUT would repoint it, and a
   * create never takes over another's.
   */
  @Override
  public Outputs create(StepContext ctx) {
    String local = localVnetId.apply(ctx);
    String group = part(local, "resourceGroups");
    String vnet = part(local, "virtualNetworks");
    String remote = remoteVnetId.apply(ctx);
    get(local).map(VnetPeeringResource::remoteOf).filter(actual -> !remote.equalsIgnoreCase(actual))
        .ifPresent(actual -> {
          throw new ConflictException("VNet " + Text.quote(vnet) + " already has a peering " + Text.quote(peeringName)
              + " toward " + Text.quote(actual) + "; it is not this stack's");
        });
    VirtualNetworkPeeringInner request = new VirtualNetworkPeeringInner()
        .withRemoteVirtualNetwork(new SubResource().withId(remote))
        .withAllowVirtualNetworkAccess(true).withAllowForwardedTraffic(false);
    client(network.apply(ctx, part(local, "subscriptions"))).beginCreateOrUpdate(group, vnet, peeringName, request);
    return Outputs.builder().put(ID, local + "/virtualNetworkPeerings/" + peeringName).put(NAME, peeringName)
        .put(REMOTE_VNET_ID, remote).build();
  }

  @Override
  public Probe<Outputs> checkReady(StepContext ctx, Outputs started) {
    String local = localVnetId.apply(ctx);
    return provisioned(get(local), p -> p.provisioningState() == null ? null : p.provisioningState().toString(),
        VnetPeeringResource::outputs, local + "/virtualNetworkPeerings/" + peeringName);
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    String local = localVnetId.apply(ctx);
    client(azure.network(part(local, "subscriptions"), List.of()))
        .beginDelete(part(local, "resourceGroups"), part(local, "virtualNetworks"), peeringName);
  }

  @Override
  public Probe<Void> checkDeleted(StepContext ctx, Observed current) {
    return gone(get(localVnetId.apply(ctx)),
        p -> p.provisioningState() == null ? null : p.provisioningState().toString());
  }
}
