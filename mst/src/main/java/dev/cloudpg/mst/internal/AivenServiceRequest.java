package dev.cloudpg.mst.internal;

import java.util.Objects;

/**
 * A PostgreSQL service with the TimescaleDB variant, in a project VPC.
 *
 * @param plan a plan name from the project's price list
 * @param cloud such as {@code azure-westeurope}; must be the VPC's cloud
 */
public record AivenServiceRequest(String serviceName, String plan, String cloud, String projectVpcId,
    boolean terminationProtection) {
  public AivenServiceRequest {
    Objects.requireNonNull(serviceName, "serviceName");
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(cloud, "cloud");
    Objects.requireNonNull(projectVpcId, "projectVpcId");
  }
}
