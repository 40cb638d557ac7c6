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
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.WaitPolicy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One direction of a VNet peering: a child of the local VNet pointing at the remote one, with traffic between the
 * two allowed and forwarded traffic not. A peering carries no tags: it is the stack's by its deterministic name and
 * its remote VNet.
 * When the remote VNet is in another tenant the creating network manager adds that tenant's token, and a 403
 * {@code AuthorizationFailed} (a role assignment that has not propagated yet) is waited out. Deleting needs rights on
 * the local VNet only, so it runs as the cloud's own credential.
 */
public final class VnetPeeringResource extends AzureResource {
  private final String peeringName;
  private final Function<StepContext, String> localVnetId;
  private final Function<StepContext, String> remoteVnetId;
  private final BiFunction<StepContext, String, NetworkManager> network;

  /**
   * @param localVnetId the id of the VNet the peering belongs to
   * @param remoteVnetId the id of the VNet it points at
   * @param network the manager that creates the peering in a subscription, with auxiliary tokens when the remote is
   *     in another tenant
   */
  public VnetPeeringResource(AzureContext azure, Stack stack, String keyName, String peeringName,
      List<ResourceKey> dependencies, Function<StepContext, String> localVnetId,
      Function<StepContext, String> remoteVnetId, BiFunction<StepContext, String, NetworkManager> network) {
    super(azure, stack, key("vnet-peering", keyName), dependencies);
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
    throw new IllegalArgumentException("not a VNet id: " + id);
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
    return ifFound(() -> client(azure.network(part(local, "subscriptions"), List.of()))
        .get(part(local, "resourceGroups"), part(local, "virtualNetworks"), peeringName)).map(p -> {
          Optional<String> remote = expectedRemote(ctx);
          String actual = p.remoteVirtualNetwork() == null ? "" : p.remoteVirtualNetwork().id();
          if (remote.isPresent() && !remote.get().equalsIgnoreCase(actual)) {
            return Observed.foreign("VNet peering " + peeringName + " of " + local + " toward another VNet");
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

  private static Outputs outputs(VirtualNetworkPeeringInner p) {
    return Outputs.of("id", p.id(), "name", p.name(),
        "remoteVnetId", p.remoteVirtualNetwork() == null ? null : p.remoteVirtualNetwork().id(),
        "peeringState", p.peeringState() == null ? "Initiated" : p.peeringState().toString());
  }

  @Override
  public Outputs create(StepContext ctx) {
    String local = localVnetId.apply(ctx);
    String group = part(local, "resourceGroups");
    String vnet = part(local, "virtualNetworks");
    String remote = remoteVnetId.apply(ctx);
    String subscription = part(local, "subscriptions");
    VirtualNetworkPeeringsClient reader = client(azure.network(subscription, List.of()));
    // A PUT would repoint a peering of this name that leads elsewhere: a create never takes over another's.
    ifFound(() -> reader.get(group, vnet, peeringName)).map(p -> p.remoteVirtualNetwork() == null ? ""
        : p.remoteVirtualNetwork().id()).filter(actual -> !remote.equalsIgnoreCase(actual)).ifPresent(actual -> {
          throw new ConflictException("VNet " + vnet + " already has a peering " + peeringName + " toward "
              + actual + "; it is not this stack's");
        });
    VirtualNetworkPeeringInner request = new VirtualNetworkPeeringInner()
        .withRemoteVirtualNetwork(new SubResource().withId(remote))
        .withAllowVirtualNetworkAccess(true).withAllowForwardedTraffic(false);
    VirtualNetworkPeeringsClient writer = client(network.apply(ctx, subscription));
    untilAccepted(ctx, "peering accepted by ARM", () -> writer.beginCreateOrUpdate(group, vnet, peeringName, request));
    return outputs(awaitSucceeded(ctx, () -> reader.get(group, vnet, peeringName),
        p -> p.provisioningState() == null ? null : p.provisioningState().toString()));
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    String local = localVnetId.apply(ctx);
    VirtualNetworkPeeringsClient c = client(azure.network(part(local, "subscriptions"), List.of()));
    c.beginDelete(part(local, "resourceGroups"), part(local, "virtualNetworks"), peeringName);
    awaitGone(ctx, () -> c.get(part(local, "resourceGroups"), part(local, "virtualNetworks"), peeringName));
  }
}
