package dev.cloudpg.aws.internal;

import dev.cloudpg.DatabaseOutputs;
import dev.cloudpg.Network;
import dev.cloudpg.NetworkOutputs;
import dev.cloudpg.Peering;
import dev.cloudpg.PeeringOutputs;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.StackOutputs;
import dev.cloudpg.spi.Outputs;
import java.util.Optional;
import java.util.function.Function;

/** A stack's typed outputs, assembled from its AWS resources' outputs by the resources' keys and output handles. */
final class AwsOutputs {
  private AwsOutputs() {}

  static StackOutputs assemble(String region, Stack stack, Function<ResourceKey, Optional<Outputs>> outputs) {
    StackOutputs.Builder result = StackOutputs.builder().stack(stack.name());
    for (Network n : stack.networks()) {
      outputs.apply(Keys.vpc(n.name())).filter(o -> o.find(VpcResource.VPC_ID).isPresent()).ifPresent(vpc -> {
        NetworkOutputs.Builder net = NetworkOutputs.builder().id(vpc.get(VpcResource.VPC_ID))
            .cidr(vpc.get(VpcResource.CIDR));
        for (int i = 0; i < n.zones(); i++) {
          outputs.apply(Keys.subnet(n.name(), i)).flatMap(o -> o.find(SubnetResource.SUBNET_ID))
              .ifPresent(net::addSubnetIds);
        }
        net.putAttributes("region", region);
        vpc.find(VpcResource.MAIN_ROUTE_TABLE_ID).ifPresent(id -> net.putAttributes("mainRouteTableId", id));
        outputs.apply(Keys.securityGroup(n.name())).flatMap(o -> o.find(SecurityGroupResource.SECURITY_GROUP_ID))
            .ifPresent(id -> net.putAttributes("securityGroupId", id));
        outputs.apply(Keys.dbSubnetGroup(n.name())).flatMap(o -> o.find(DbSubnetGroupResource.NAME))
            .ifPresent(id -> net.putAttributes("dbSubnetGroup", id));
        result.putNetworks(n.name(), net.build());
      });
    }
    for (PostgresCluster db : stack.databases()) {
      outputs.apply(Keys.auroraCluster(db.name()))
          .filter(o -> o.find(AuroraClusterResource.WRITER_ENDPOINT).isPresent())
          .ifPresent(c -> result.putDatabases(db.name(), database(c)));
    }
    for (Peering p : stack.peerings()) {
      outputs.apply(Keys.peering(p.name())).filter(o -> o.find(PeeringResource.PEERING_ID).isPresent())
          .ifPresent(c -> result.putPeerings(p.name(), PeeringOutputs.builder().id(c.get(PeeringResource.PEERING_ID))
              .state(c.get(PeeringResource.STATUS)).putAttributes("peerVpcId", c.get(PeeringResource.PEER_VPC_ID))
              .putAttributes("peerRegion", c.get(PeeringResource.PEER_REGION))
              .putAttributes("peerCidrs", String.join(",", c.get(PeeringResource.PEER_CIDRS))).build()));
    }
    return result.build();
  }

  /** The typed outputs of a DB cluster, from its resource outputs. */
  static DatabaseOutputs database(Outputs c) {
    DatabaseOutputs.Builder out = DatabaseOutputs.builder().writerEndpoint(c.get(AuroraClusterResource.WRITER_ENDPOINT))
        .port(Integer.parseInt(c.get(AuroraClusterResource.PORT)));
    c.find(AuroraClusterResource.READER_ENDPOINT).ifPresent(out::readerEndpoint);
    c.find(AuroraClusterResource.SECRET_ARN).ifPresent(out::secretReference);
    c.find(AuroraClusterResource.CLUSTER_ID).ifPresent(v -> out.putAttributes("clusterId", v));
    c.find(AuroraClusterResource.ARN).ifPresent(v -> out.putAttributes("arn", v));
    c.find(AuroraClusterResource.RESOURCE_ID).ifPresent(v -> out.putAttributes("resourceId", v));
    c.find(AuroraClusterResource.ENGINE_VERSION).ifPresent(v -> out.putAttributes("engineVersion", v));
    return out.build();
  }
}
