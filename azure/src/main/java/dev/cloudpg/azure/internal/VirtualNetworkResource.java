package dev.cloudpg.azure.internal;

import static dev.cloudpg.azure.internal.AzureErrors.ifFound;

import com.azure.resourcemanager.network.fluent.VirtualNetworksClient;
import com.azure.resourcemanager.network.fluent.models.SubnetInner;
import com.azure.resourcemanager.network.fluent.models.VirtualNetworkInner;
import com.azure.resourcemanager.network.models.AddressSpace;
import dev.cloudpg.Network;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.Cidr;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Output;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Probe;
import dev.cloudpg.spi.StepContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A network's VNet with the AKS node subnet, the first half of its address space. Pods take addresses from the
 * overlay CIDR, not from the VNet, so the subnet only needs room for nodes and internal load balancers.
 */
final class VirtualNetworkResource extends AzureResource {
  /** The address space of a network given no CIDR: inside AKS's own default, clear of its service CIDR. */
  static final String DEFAULT_CIDR = "10.224.0.0/16";
  static final String NODE_SUBNET = "aks-nodes";

  static final Output<String> ID = Output.string("id");
  static final Output<String> NAME = Output.string("name");
  static final Output<String> CIDR = Output.string("cidr");
  /** The AKS node subnet's id. */
  static final Output<String> SUBNET_ID = Output.string("subnetId");

  private final String name;
  private final String cidr;

  VirtualNetworkResource(AzureContext azure, Stack stack, Network network, List<ResourceKey> dependencies) {
    super(azure, stack, Keys.virtualNetwork(network.name()), dependencies, network.tags());
    this.name = Names.vnet(network.name());
    this.cidr = network.cidr().orElse(DEFAULT_CIDR);
  }

  static String nodeSubnet(String cidr) {
    Cidr space = Cidr.parse(cidr);
    return space.split(2, 29).get(0).toString();
  }

  private VirtualNetworksClient client() {
    return azure.managers().network().serviceClient().getVirtualNetworks();
  }

  private String id() {
    return "/subscriptions/" + azure.subscription() + "/resourceGroups/" + resourceGroup()
        + "/providers/Microsoft.Network/virtualNetworks/" + name;
  }

  @Override
  public Map<String, String> desired() {
    return Map.of("name", name, "cidr", cidr, "subnet", nodeSubnet(cidr));
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    return get().map(v -> {
      if (!ownedTags(v.tags())) {
        return Observed.foreign(foreign("VNet", name, v.tags()));
      }
      String space = v.addressSpace() == null || v.addressSpace().addressPrefixes() == null ? ""
          : String.join(",", v.addressSpace().addressPrefixes());
      String subnet = v.subnets() == null ? "" : v.subnets().stream().filter(s -> NODE_SUBNET.equals(s.name()))
          .map(SubnetInner::addressPrefix).findFirst().orElse("");
      return Observed.owned(Map.of("name", v.name(), "cidr", space, "subnet", subnet), outputs(v.id()));
    });
  }

  private Optional<VirtualNetworkInner> get() {
    return ifFound(() -> client().getByResourceGroup(resourceGroup(), name));
  }

  private Outputs outputs(String id) {
    return Outputs.builder().put(ID, id).put(NAME, name).put(CIDR, cidr).put(SUBNET_ID, id + "/subnets/" + NODE_SUBNET)
        .build();
  }

  @Override
  public Outputs create(StepContext ctx) {
    client().beginCreateOrUpdate(resourceGroup(), name, new VirtualNetworkInner().withLocation(azure.region())
        .withTags(tags(ctx)).withAddressSpace(new AddressSpace().withAddressPrefixes(List.of(cidr)))
        .withSubnets(List.of(new SubnetInner().withName(NODE_SUBNET).withAddressPrefix(nodeSubnet(cidr)))));
    return outputs(id());
  }

  @Override
  public Probe<Outputs> checkReady(StepContext ctx, Outputs started) {
    return provisioned(get(), v -> v.provisioningState() == null ? null : v.provisioningState().toString(),
        v -> outputs(v.id()), id());
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    client().beginDelete(resourceGroup(), name);
  }

  @Override
  public Probe<Void> checkDeleted(StepContext ctx, Observed current) {
    return gone(get(), v -> v.provisioningState() == null ? null : v.provisioningState().toString());
  }
}
