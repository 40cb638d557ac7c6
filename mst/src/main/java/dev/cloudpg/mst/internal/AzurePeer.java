package dev.cloudpg.mst.internal;

import java.util.Objects;

/**
 * The Azure side of a peering as Aiven identifies it: subscription, resource group and VNet name. Aiven compares them
 * exactly and accepts lower-case values only.
 */
public record AzurePeer(String subscriptionId, String resourceGroup, String vnetName) {
  public AzurePeer {
    Objects.requireNonNull(subscriptionId, "subscriptionId");
    Objects.requireNonNull(resourceGroup, "resourceGroup");
    Objects.requireNonNull(vnetName, "vnetName");
  }

  boolean matches(AivenPeering peering) {
    return subscriptionId.equals(peering.peerCloudAccount()) && resourceGroup.equals(peering.peerResourceGroup())
        && vnetName.equals(peering.peerVpc());
  }
}
