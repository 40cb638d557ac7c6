package dev.cloudpg.aws.internal;

import dev.cloudpg.Network;
import dev.cloudpg.Peering;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.Resource;
import java.util.ArrayList;
import java.util.List;

/**
 * A stack's AWS resources and their dependencies: a network is a VPC with a subnet per zone (each explicitly
 * associated with the main route table), a security group and, when it holds databases, a DB subnet group; a
 * database is an Aurora PostgreSQL cluster and one resource per instance; a peering is a VPC peering connection,
 * routes on both sides and an ingress rule.
 */
final class AwsGraph {
  private AwsGraph() {}

  static List<Resource> expand(AwsContext aws, Stack stack) {
    List<Resource> resources = new ArrayList<>();
    for (Network n : stack.networks()) {
      List<PostgresCluster> dbs = databasesOn(stack, n);
      VpcResource vpc = new VpcResource(aws, stack, n, dbs.isEmpty() ? null : Names.cluster(dbs.get(0)),
          peeringsOn(stack, n));
      resources.add(vpc);
      List<ResourceKey> subnets = new ArrayList<>();
      for (int i = 0; i < n.zones(); i++) {
        SubnetResource subnet = new SubnetResource(aws, stack, n, i, vpc.key());
        resources.add(subnet);
        subnets.add(subnet.key());
        resources.add(new RouteTableAssociationResource(aws, stack, Keys.routeTableAssociation(n.name(), i),
            subnet.key(), vpc.key()));
      }
      SecurityGroupResource group = new SecurityGroupResource(aws, stack, n, vpc.key());
      resources.add(group);
      if (dbs.isEmpty()) {
        continue;
      }
      DbSubnetGroupResource subnetGroup = new DbSubnetGroupResource(aws, stack, n, subnets);
      resources.add(subnetGroup);
      for (PostgresCluster db : dbs) {
        AuroraClusterResource cluster = new AuroraClusterResource(aws, stack, db, subnetGroup.key(), group.key());
        resources.add(cluster);
        for (int i = 1; i <= db.instances(); i++) {
          resources.add(new AuroraInstanceResource(aws, stack, db, i, cluster.key(),
              subnets.get((i - 1) % subnets.size())));
        }
      }
    }
    for (Peering p : stack.peerings()) {
      ResourceKey vpc = Keys.vpc(p.network());
      PeeringResource connection = new PeeringResource(aws, stack, p, vpc);
      resources.add(connection);
      for (PeeringRoutesResource.Side side : PeeringRoutesResource.Side.values()) {
        resources.add(new PeeringRoutesResource(aws, stack, p, side, connection.key(), vpc));
      }
      resources.add(new PeeringIngressResource(aws, stack, p, connection.key(), Keys.securityGroup(p.network())));
    }
    return resources;
  }

  static List<PostgresCluster> databasesOn(Stack stack, Network n) {
    return stack.databases().stream().filter(d -> d.network().equals(n.name())).toList();
  }

  private static List<Peering> peeringsOn(Stack stack, Network n) {
    return stack.peerings().stream().filter(p -> p.network().equals(n.name())).toList();
  }
}
