package dev.cloudpg.mst.internal;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A peering connection of a project VPC, as listed in the VPC (Aiven has no request for one peering).
 *
 * <p>States: {@code APPROVED} (initial), {@code PENDING_PEER} (the Azure side must now peer to
 * {@link #toNetworkId()}), {@code ACTIVE}, {@code DELETING}, {@code DELETED}, {@code DELETED_BY_PEER},
 * {@code REJECTED_BY_PEER}, {@code INVALID_SPECIFICATION} (reason in {@link #stateMessage()}),
 * {@code APPROVED_PEER_REQUESTED}, {@code ERROR}.
 *
 * <p>{@code state_info} is free-form and often absent, so it stays a map with typed, optional views of the keys used.
 */
public record AivenPeering(String peerCloudAccount, String peerResourceGroup, String peerVpc, String peerAzureAppId,
    String peerAzureTenantId, String state, Map<String, Object> stateInfo, List<String> userPeerNetworkCidrs,
    String vpcPeeringConnectionType, String peeringConnectionId) {
  public AivenPeering {
    // Not Map.copyOf: Aiven may send keys with null values.
    stateInfo = stateInfo == null ? Map.of() : Collections.unmodifiableMap(new HashMap<>(stateInfo));
    userPeerNetworkCidrs = userPeerNetworkCidrs == null ? List.of() : List.copyOf(userPeerNetworkCidrs);
  }

  /** Aiven's explanation of the state, such as the reason for {@code INVALID_SPECIFICATION}. */
  public Optional<String> stateMessage() {
    return text("message");
  }

  /** The kind of state information, as Aiven names it. */
  public Optional<String> stateType() {
    return text("type");
  }

  /** In {@code PENDING_PEER} on Azure: the tenant of Aiven's VNet. */
  public Optional<String> toTenantId() {
    return text("to-tenant-id");
  }

  /** In {@code PENDING_PEER} on Azure: the resource id of Aiven's VNet, the remote network of the Azure peering. */
  public Optional<String> toNetworkId() {
    return text("to-network-id");
  }

  private Optional<String> text(String key) {
    Object value = stateInfo.get(key);
    return value instanceof String ? Optional.of((String) value) : Optional.empty();
  }
}
