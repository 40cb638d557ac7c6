package dev.cloudpg.azure.internal;

import dev.cloudpg.DatabaseOutputs;
import dev.cloudpg.Network;
import dev.cloudpg.NetworkOutputs;
import dev.cloudpg.Peering;
import dev.cloudpg.PeeringOutputs;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.StackOutputs;
import dev.cloudpg.spi.Output;
import dev.cloudpg.spi.Outputs;
import java.util.Optional;
import java.util.function.Function;

/**
 * The stack's typed outputs from its resources' outputs: per network the VNet, per database the CNPG cluster's
 * endpoints with the platform's ids as attributes, per peering the VNet peering. Immutable and thread-safe.
 */
final class AzureOutputs {
  private final AzureContext azure;

  AzureOutputs(AzureContext azure) {
    this.azure = azure;
  }

  StackOutputs outputs(Stack stack, Function<ResourceKey, Optional<Outputs>> outputs) {
    StackOutputs.Builder result = StackOutputs.builder().stack(stack.name());
    String group = azure.resourceGroup(stack.name());
    for (Network n : stack.networks()) {
      outputs.apply(Keys.virtualNetwork(n.name())).filter(o -> o.find(VirtualNetworkResource.ID).isPresent())
          .ifPresent(v -> result.putNetworks(n.name(), NetworkOutputs.builder().id(v.get(VirtualNetworkResource.ID))
              .cidr(v.get(VirtualNetworkResource.CIDR)).addSubnetIds(v.get(VirtualNetworkResource.SUBNET_ID))
              .putAttributes("resourceGroup", group).putAttributes("region", azure.region()).build()));
    }
    for (PostgresCluster db : stack.databases()) {
      Optional<Outputs> cluster = outputs.apply(Keys.cnpgCluster(db))
          .filter(o -> o.find(CnpgClusterResource.WRITER_ENDPOINT).isPresent());
      if (cluster.isEmpty()) {
        continue;
      }
      Outputs c = cluster.get();
      DatabaseOutputs.Builder out = DatabaseOutputs.builder().writerEndpoint(c.get(CnpgClusterResource.WRITER_ENDPOINT))
          .readerEndpoint(c.get(CnpgClusterResource.READER_ENDPOINT))
          .port(Integer.parseInt(c.get(CnpgClusterResource.PORT)))
          .secretReference(c.get(CnpgClusterResource.NAMESPACE) + "/" + c.get(CnpgClusterResource.APP_SECRET))
          .putAttributes("resourceGroup", group);
      Attributes a = new Attributes(out, outputs);
      a.put(Keys.aksCluster(db), AksClusterResource.NAME, "aksCluster");
      a.put(Keys.aksCluster(db), AksClusterResource.NODE_RESOURCE_GROUP, "nodeResourceGroup");
      a.put(Keys.aksCluster(db), AksClusterResource.OIDC_ISSUER, "oidcIssuer");
      a.put(Keys.publicIp(db), PublicIpResource.IP_ADDRESS, "publicIp");
      a.put(Keys.identity(db), IdentityResource.ID, "identityId");
      a.put(Keys.identity(db), IdentityResource.CLIENT_ID, "identityClientId");
      a.put(Keys.identity(db), IdentityResource.PRINCIPAL_ID, "identityPrincipalId");
      a.put(Keys.storageAccount(db), StorageAccountResource.NAME, "storageAccount");
      a.put(Keys.blobContainer(db), BlobContainerResource.URL, "backupContainer");
      a.put(Keys.grafana(db), GenericArmResource.ID, "grafana");
      result.putDatabases(db.name(), out.build());
    }
    for (Peering p : stack.peerings()) {
      outputs.apply(Keys.vnetPeering(p)).filter(o -> o.find(VnetPeeringResource.ID).isPresent())
          .ifPresent(o -> result.putPeerings(p.name(), PeeringOutputs.builder().id(o.get(VnetPeeringResource.ID))
              .state(o.get(VnetPeeringResource.PEERING_STATE))
              .putAttributes("remoteVnetId", o.get(VnetPeeringResource.REMOTE_VNET_ID)).build()));
    }
    return result.build();
  }

  /** Puts a resource's output, when it has one, as a database attribute. */
  private record Attributes(DatabaseOutputs.Builder out, Function<ResourceKey, Optional<Outputs>> outputs) {
    void put(ResourceKey resource, Output<String> output, String attribute) {
      outputs.apply(resource).flatMap(o -> o.find(output)).ifPresent(value -> out.putAttributes(attribute, value));
    }
  }
}
