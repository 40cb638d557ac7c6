package dev.cloudpg.aws.internal;

import dev.cloudpg.ResourceKey;

/**
 * The keys of the AWS resources, built here only: expansion names resources with them, dependents find their
 * dependencies by them, and the output assembly reads outputs by them.
 */
final class Keys {
  /** The provider's name, the first part of every key. */
  static final String PROVIDER = "aws";

  private Keys() {}

  static ResourceKey vpc(String network) {
    return key("vpc", network);
  }

  /** The subnet of a network in its {@code index}-th zone: {@code aws:subnet/db-a}. */
  static ResourceKey subnet(String network, int index) {
    return key("subnet", zoned(network, index));
  }

  /** The association of a network's {@code index}-th subnet with the main route table. */
  static ResourceKey routeTableAssociation(String network, int index) {
    return key("route-table-association", zoned(network, index));
  }

  /** The association of the subnet keyed {@code aws:subnet/<zonedName>}: {@code aws:route-table-association/db-a}. */
  static ResourceKey routeTableAssociation(String zonedName) {
    return key("route-table-association", zonedName);
  }

  static ResourceKey securityGroup(String network) {
    return key("security-group", network);
  }

  static ResourceKey dbSubnetGroup(String network) {
    return key("db-subnet-group", network);
  }

  static ResourceKey auroraCluster(String database) {
    return key("aurora-cluster", database);
  }

  /** The {@code n}-th instance (1-based) of a database. */
  static ResourceKey auroraInstance(String database, int n) {
    return key("aurora-instance", database + "-" + n);
  }

  static ResourceKey peering(String peering) {
    return key("vpc-peering", peering);
  }

  /** The routes of one side of a peering: {@code aws:route/app-to-peer}, {@code aws:route/app-from-peer}. */
  static ResourceKey routes(String peering, PeeringRoutesResource.Side side) {
    return key("route", peering + "-" + side.suffix());
  }

  static ResourceKey ingress(String peering) {
    return key("ingress", peering);
  }

  private static String zoned(String network, int index) {
    return network + "-" + Names.zoneLetter(index);
  }

  private static ResourceKey key(String type, String name) {
    return ResourceKey.of(PROVIDER, type, name);
  }
}
