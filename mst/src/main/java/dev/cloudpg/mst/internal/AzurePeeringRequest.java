package dev.cloudpg.mst.internal;

import java.util.List;
import java.util.Objects;

/**
 * What Aiven needs to peer a project VPC with an Azure VNet: the VNet, the multi-tenant application Aiven signs in as
 * to create its half, the tenant, and optionally the VNet's address ranges when Aiven cannot read them.
 */
public record AzurePeeringRequest(AzurePeer peer, String azureAppId, String azureTenantId,
    List<String> userPeerNetworkCidrs) {
  public AzurePeeringRequest {
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(azureAppId, "azureAppId");
    Objects.requireNonNull(azureTenantId, "azureTenantId");
    userPeerNetworkCidrs = userPeerNetworkCidrs == null ? List.of() : List.copyOf(userPeerNetworkCidrs);
  }
}
