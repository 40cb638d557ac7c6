package dev.cloudpg.aws;

import java.util.List;
import java.util.Objects;

/**
 * One peering {@link AwsCloud#disconnect} removed: the stack that owned it, its name in that stack, its id, the
 * application VPC it led to, the routes removed (route table and destination, both sides) and the ingress rules
 * revoked (security group and source CIDR). Immutable and thread-safe.
 *
 * @param stack the name of the stack that owned the peering
 * @param peering the peering's name in that stack
 * @param peeringId the VPC peering connection's id ({@code pcx-...})
 * @param applicationVpc the id of the application VPC the peering led to
 * @param routes the routes removed, each as route table and destination, on both sides
 * @param ingressRules the ingress rules revoked, each as security group and source CIDR
 */
public record AwsDisconnected(String stack, String peering, String peeringId, String applicationVpc,
    List<String> routes, List<String> ingressRules) {
  /**
   * Makes a record, copying the lists.
   *
   * @param stack the name of the stack that owned the peering
   * @param peering the peering's name in that stack
   * @param peeringId the VPC peering connection's id ({@code pcx-...})
   * @param applicationVpc the id of the application VPC the peering led to
   * @param routes the routes removed, each as route table and destination, on both sides
   * @param ingressRules the ingress rules revoked, each as security group and source CIDR
   * @throws NullPointerException if any argument or list element is null
   */
  public AwsDisconnected {
    Objects.requireNonNull(stack, "stack");
    Objects.requireNonNull(peering, "peering");
    Objects.requireNonNull(peeringId, "peeringId");
    Objects.requireNonNull(applicationVpc, "applicationVpc");
    routes = List.copyOf(routes);
    ingressRules = List.copyOf(ingressRules);
  }

  /**
   * One line: {@code keycloak/app pcx-0abc to vpc-0b72: 2 routes, 1 ingress rules removed}.
   *
   * @return the line, without a line break
   */
  public String render() {
    return stack + "/" + peering + " " + peeringId + " to " + applicationVpc + ": " + routes.size() + " routes, "
        + ingressRules.size() + " ingress rules removed";
  }
}
