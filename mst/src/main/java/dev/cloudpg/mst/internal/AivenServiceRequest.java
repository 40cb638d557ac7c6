package dev.cloudpg.mst.internal;

import java.util.Map;
import java.util.Objects;

/**
 * A PostgreSQL service with the TimescaleDB variant, in a project VPC.
 *
 * @param plan a plan name from the project's price list
 * @param cloud such as {@code azure-westeurope}; must be the VPC's cloud
 * @param serviceName the service's name in the project
 * @param plan a plan name from the project's price list
 * @param cloud such as {@code azure-westeurope}; must be the VPC's cloud
 * @param projectVpcId the project VPC the service runs in
 * @param pgVersion the PostgreSQL major version, such as {@code 16}
 * @param terminationProtection whether Aiven refuses to delete the service
 * @param tags the service's tags, such as the stack's ownership tags
 */
public record AivenServiceRequest(String serviceName, String plan, String cloud, String projectVpcId,
    String pgVersion, boolean terminationProtection, Map<String, String> tags) {
  /**
   * Checks that the values are there and copies the tags.
   *
   * @throws NullPointerException if a value is missing
   */
  public AivenServiceRequest {
    tags = Map.copyOf(tags);
    Objects.requireNonNull(serviceName, "serviceName");
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(cloud, "cloud");
    Objects.requireNonNull(projectVpcId, "projectVpcId");
    Objects.requireNonNull(pgVersion, "pgVersion");
  }
}
