package dev.cloudpg.mst.internal;

import java.util.List;

/**
 * A project VPC. States: {@code APPROVED} (being built), {@code ACTIVE}, {@code DELETING}, {@code DELETED}. The list
 * of VPCs carries no peering connections; one VPC read by id does.
 */
public record AivenVpc(String projectVpcId, String cloudName, String networkCidr, String state,
    List<AivenPeering> peeringConnections) {
  public AivenVpc {
    peeringConnections = peeringConnections == null ? List.of() : List.copyOf(peeringConnections);
  }
}
