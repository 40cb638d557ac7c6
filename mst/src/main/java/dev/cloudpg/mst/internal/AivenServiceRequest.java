package dev.cloudpg.mst.internal;

import java.util.Objects;

/**
 * A PostgreSQL service with the TimescaleDB variant, in a project VPC.
 *
 * @param plan a plan name from the project's price list
 * @param cloud such as {@code azure-westeurope}; must be the VPC's cloud
 * @param pgVersion the PostgreSQL major version, such as {@code 16}
 */
public record AivenServiceRequest(String serviceName, String plan, String cloud, String projectVpcId,
    String pgVersion, boolean terminationProtection) {
  public AivenServiceRequest {
    Objects.requireNonNull(serviceName, "serviceName");
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(cloud, "cloud");
    Objects.requireNonNull(projectVpcId, "projectVpcId");
    Objects.requireNonNull(pgVersion, "pgVersion");
  }
}
