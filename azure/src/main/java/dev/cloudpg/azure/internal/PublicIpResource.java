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
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.StepContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The public IP for exposing the primary and read-only endpoints: Standard, static, zone-redundant, in the node
 * resource group, where AKS's load balancer can use it with the identity's Network Contributor role there.
 */
final class PublicIpResource extends AzureResource {
  private final String name;
  private final List<String> zones;
  private final ResourceKey cluster;

  PublicIpResource(AzureContext azure, Stack stack, PostgresCluster db, ResourceKey cluster) {
    super(azure, stack, key("public-ip", db.name()), List.of(cluster));
    this.name = Names.publicIp(db);
    this.zones = Names.options(db).zones();
    this.cluster = cluster;
  }

  private PublicIpAddressesClient client() {
    return azure.managers().network().serviceClient().getPublicIpAddresses();
  }

  private String group(StepContext ctx) {
    return ctx.outputsOf(cluster).string("nodeResourceGroup");
  }

  @Override
  public Map<String, String> desired() {
    return Map.of("name", name, "sku", "Standard", "allocation", "Static", "zones", String.join(",", zones));
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    return ifFound(() -> client().getByResourceGroup(group(ctx), name)).map(ip -> ownedTags(ip.tags())
        ? Observed.owned(Map.of("name", ip.name(), "sku", ip.sku() == null ? "" : String.valueOf(ip.sku().name()),
            "allocation", String.valueOf(ip.publicIpAllocationMethod()),
            "zones", String.join(",", Optional.ofNullable(ip.zones()).orElse(List.of()))), outputs(ip))
        : Observed.foreign("public IP " + name + ", " + foreignBy(ip.tags())));
  }

  private static Outputs outputs(PublicIpAddressInner ip) {
    return Outputs.of("id", ip.id(), "name", ip.name(), "ipAddress", ip.ipAddress());
  }

  @Override
  public Outputs create(StepContext ctx) {
    String group = group(ctx);
    client().beginCreateOrUpdate(group, name, new PublicIpAddressInner().withLocation(azure.region())
        .withTags(ctx.ownershipTags()).withZones(zones)
        .withSku(new PublicIpAddressSku().withName(PublicIpAddressSkuName.STANDARD)
            .withTier(PublicIpAddressSkuTier.REGIONAL))
        .withPublicIpAllocationMethod(IpAllocationMethod.STATIC).withPublicIpAddressVersion(IpVersion.IPV4));
    return outputs(awaitSucceeded(ctx, () -> client().getByResourceGroup(group, name),
        ip -> ip.provisioningState() == null ? null : ip.provisioningState().toString()));
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    String group = group(ctx);
    client().beginDelete(group, name);
    awaitGone(ctx, () -> client().getByResourceGroup(group, name));
  }
}
