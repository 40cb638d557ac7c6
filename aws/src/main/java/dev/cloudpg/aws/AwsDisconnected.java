package dev.cloudpg.aws;

import java.util.List;
import java.util.Objects;

/**
 * One peering {@link AwsCloud#disconnect} removed: the stack that owned it, its name in that stack, its id, the
 * application VPC it led to, the routes removed (route table and destination, both sides) and the ingress rules
 * revoked (security group and source CIDR).
 */
public record AwsDisconnected(String stack, String peering, String peeringId, String applicationVpc,
    List<String> routes, List<String> ingressRules) {
  public AwsDisconnected {
    Objects.requireNonNull(stack, "stack");
    Objects.requireNonNull(peering, "peering");
    Objects.requireNonNull(peeringId, "peeringId");
    Objects.requireNonNull(applicationVpc, "applicationVpc");
    routes = List.copyOf(routes);
    ingressRules = List.copyOf(ingressRules);
  }

  /** One line: {@code keycloak/app pcx-0abc to vpc-0b72: 2 routes, 1 ingress rule removed}. */
  public String render() {
    return stack + "/" + peering + " " + peeringId + " to " + applicationVpc + ": " + routes.size() + " routes, "
        + ingressRules.size() + " ingress rules removed";
  }
}
