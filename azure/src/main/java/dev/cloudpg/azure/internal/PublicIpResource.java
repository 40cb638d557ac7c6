package dev.cloudpg.azure.internal;

import static dev.cloudpg.azure.internal.AzureErrors.ifFound;

import com.azure.resourcemanager.network.fluent.PublicIpAddressesClient;
import com.azure.resourcemanager.network.fluent.models.PublicIpAddressInner;
import com.azure.resourcemanager.network.models.IpAllocationMethod;
import com.azure.resourcemanager.network.models.IpVersion;
import com.azure.resourcemanager.network.models.PublicIpAddressSku;
import com.azure.resourcemanager.network.models.PublicIpAddressSkuName;
import com.azure.resourcemanager.network.models.PublicIpAddressSkuTier;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Output;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Probe;
import dev.cloudpg.spi.StepContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The public IP for exposing the primary and read-only endpoints: Standard, static, zone-redundant, in the node
 * resource group, where AKS's load balancer can use it with the identity's Network Contributor role there.
 */
final class PublicIpResource extends AzureResource {
  static final Output<String> ID = Output.string("id");
  static final Output<String> NAME = Output.string("name");
  static final Output<String> IP_ADDRESS = Output.string("ipAddress");

  private final String name;
  private final List<String> zones;
  private final ResourceKey cluster;

  PublicIpResource(AzureContext azure, Stack stack, PostgresCluster db, ResourceKey cluster) {
    super(azure, stack, Keys.publicIp(db), List.of(cluster), db.tags());
    this.name = Names.publicIp(db);
    this.zones = Names.options(db).zones();
    this.cluster = cluster;
  }

  private PublicIpAddressesClient client() {
    return azure.managers().network().serviceClient().getPublicIpAddresses();
  }

  private String group(StepContext ctx) {
    return ctx.get(cluster, AksClusterResource.NODE_RESOURCE_GROUP);
  }

  private Optional<PublicIpAddressInner> get(StepContext ctx) {
    return ifFound(() -> client().getByResourceGroup(group(ctx), name));
  }

  private static String state(PublicIpAddressInner ip) {
    return ip.provisioningState() == null ? null : ip.provisioningState().toString();
  }

  @Override
  public Map<String, String> desired() {
    return Map.of("name", name, "sku", "Standard", "allocation", "Static", "zones", String.join(",", zones));
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    return get(ctx).map(ip -> ownedTags(ip.tags())
        ? Observed.owned(Map.of("name", ip.name(), "sku", ip.sku() == null ? "" : String.valueOf(ip.sku().name()),
            "allocation", String.valueOf(ip.publicIpAllocationMethod()),
            "zones", String.join(",", Optional.ofNullable(ip.zones()).orElse(List.of()))), outputs(ip))
        : Observed.foreign(foreign("public IP", name, ip.tags())));
  }

  private static Outputs outputs(PublicIpAddressInner ip) {
    return Outputs.builder().put(ID, ip.id()).put(NAME, ip.name()).put(IP_ADDRESS, ip.ipAddress()).build();
  }

  @Override
  public Outputs create(StepContext ctx) {
    client().beginCreateOrUpdate(group(ctx), name, new PublicIpAddressInner().withLocation(azure.region())
        .withTags(tags(ctx)).withZones(zones)
        .withSku(new PublicIpAddressSku().withName(PublicIpAddressSkuName.STANDARD)
            .withTier(PublicIpAddressSkuTier.REGIONAL))
        .withPublicIpAllocationMethod(IpAllocationMethod.STATIC).withPublicIpAddressVersion(IpVersion.IPV4));
    return Outputs.builder().put(NAME, name).build();
  }

  @Override
  public Probe<Outputs> checkReady(StepContext ctx, Outputs started) {
    return provisioned(get(ctx), PublicIpResource::state, PublicIpResource::outputs,
        "/subscriptions/" + azure.subscription() + "/resourceGroups/" + group(ctx)
            + "/providers/Microsoft.Network/publicIPAddresses/" + name);
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    client().beginDelete(group(ctx), name);
  }

  @Override
  public Probe<Void> checkDeleted(StepContext ctx, Observed current) {
    return gone(get(ctx), PublicIpResource::state);
  }
}
