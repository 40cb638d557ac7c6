package dev.cloudpg.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudpg.Network;
import dev.cloudpg.PeerNetwork;
import dev.cloudpg.Peering;
import dev.cloudpg.Plan;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ProvisioningListener;
import dev.cloudpg.Stack;
import dev.cloudpg.StackOutputs;
import dev.cloudpg.StackSummary;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.RouteTable;

/**
 * {@link AwsCloud#stacks()} and {@link AwsCloud#disconnect}: two stacks peered with one application VPC and a third
 * peered with another; disconnecting the first VPC removes its two peerings with their routes and rules, and nothing
 * else.
 */
class AwsStacksIT extends WithMotoClients {
  private static Stack stack(String name, String cidr, String appVpc) {
    return Stack.builder().name(name)
        .addNetworks(Network.builder().name("db").cidr(cidr).zones(2).build())
        .addDatabases(PostgresCluster.builder().name(name).network("db").instances(1).build())
        .addPeerings(Peering.builder().name("app").network("db").peer(PeerNetwork.awsVpc(appVpc)).build())
        .build();
  }

  private List<String> routesThrough(String vpcId, String peeringId) {
    return ec2.describeRouteTables(b -> b.filters(Filter.builder().name("vpc-id").values(vpcId).build()))
        .routeTables().stream().flatMap((RouteTable t) -> t.routes().stream())
        .filter(r -> peeringId.equals(r.vpcPeeringConnectionId())).map(r -> r.destinationCidrBlock()).toList();
  }

  private String status(String peeringId) {
    return ec2.describeVpcPeeringConnections(b -> b.vpcPeeringConnectionIds(peeringId)).vpcPeeringConnections()
        .get(0).status().codeAsString();
  }

  private List<String> admitted(StackOutputs out) {
    String group = out.network("db").attributes().get("securityGroupId");
    return ec2.describeSecurityGroups(b -> b.groupIds(group)).securityGroups().get(0).ipPermissions().stream()
        .flatMap(p -> p.ipRanges().stream()).map(r -> r.cidrIp()).toList();
  }

  @Test
  void stacksAndDisconnect_whenTwoStacksPeerWithOneVpcAndAThirdElsewhere_removeOnlyThePeeringsToThatVpc() {
    String shared = ec2.createVpc(b -> b.cidrBlock("10.70.0.0/16")).vpc().vpcId();
    String other = ec2.createVpc(b -> b.cidrBlock("10.80.0.0/16")).vpc().vpcId();
    Stack orders = stack("orders", "192.168.0.0/16", shared);
    Stack billing = stack("billing", "192.169.0.0/16", shared);
    Stack audit = stack("audit", "192.170.0.0/16", other);
    try (AwsCloud cloud = MotoClouds.cloud(aws)) {
      StackOutputs o = cloud.apply(orders, ProvisioningListener.none());
      StackOutputs b = cloud.apply(billing, ProvisioningListener.none());
      StackOutputs a = cloud.apply(audit, ProvisioningListener.none());

      List<StackSummary> stacks = cloud.stacks();
      assertThat(stacks).extracting(StackSummary::name).containsExactly("audit", "billing", "orders");
      Map<String, StackSummary> byName = stacks.stream().collect(Collectors.toMap(StackSummary::name, s -> s));
      assertThat(byName.get("orders").resourcesByType()).containsEntry("vpc", 1).containsEntry("subnet", 2)
          .containsEntry("route-table-association", 2).containsEntry("security-group", 1)
          .containsEntry("db-subnet-group", 1).containsEntry("aurora-cluster", 1).containsEntry("aurora-instance", 1)
          .containsEntry("vpc-peering", 1).containsEntry("route", 2).containsEntry("ingress", 1);
      assertThat(byName.get("orders").peerings()).singleElement().isEqualTo(new StackSummary.PeeringSummary("app",
          o.peering("app").id(), shared));
      assertThat(byName.get("audit").peerings()).extracting(StackSummary.PeeringSummary::peer)
          .containsExactly(other);
      assertThat(byName.get("billing").render()).startsWith("billing  13 resources (aurora-cluster 1, ")
          .endsWith("peerings: app -> " + shared);

      List<AwsDisconnected> removed = cloud.disconnect(shared);

      assertThat(removed).extracting(AwsDisconnected::stack, AwsDisconnected::peeringId).containsExactlyInAnyOrder(
          org.assertj.core.groups.Tuple.tuple("orders", o.peering("app").id()),
          org.assertj.core.groups.Tuple.tuple("billing", b.peering("app").id()));
      assertThat(removed).allSatisfy(r -> {
        assertThat(r.routes()).hasSize(2);
        assertThat(r.ingressRules()).singleElement().satisfies(rule -> assertThat(rule).endsWith(" 10.70.0.0/16"));
      });
      for (StackOutputs gone : List.of(o, b)) {
        assertThat(status(gone.peering("app").id())).isEqualTo("deleted");
        assertThat(routesThrough(gone.network("db").id(), gone.peering("app").id())).isEmpty();
        assertThat(routesThrough(shared, gone.peering("app").id())).isEmpty();
        assertThat(admitted(gone)).isEmpty();
      }
      assertThat(status(a.peering("app").id())).isEqualTo("active");
      assertThat(routesThrough(other, a.peering("app").id())).containsExactly("192.170.0.0/16");
      assertThat(admitted(a)).containsExactly("10.80.0.0/16");
      assertThat(rds.describeDBClusters().dbClusters()).extracting(c -> c.dbClusterIdentifier())
          .contains("orders", "billing", "audit");
      assertThat(cloud.stacks()).filteredOn(s -> !s.name().equals("audit"))
          .allSatisfy(s -> assertThat(s.peerings()).isEmpty());
      assertThat(cloud.disconnect(shared)).isEmpty();

      // a stack whose spec still names the peer makes it again; one whose spec no longer does plans nothing
      Plan again = cloud.plan(orders);
      assertThat(again.changes()).filteredOn(c -> c.action() != dev.cloudpg.ChangeAction.NOOP)
          .extracting(c -> c.resource().type() + " " + c.action())
          .containsExactlyInAnyOrder("vpc-peering CREATE", "route CREATE", "route CREATE", "ingress CREATE");
      StackOutputs back = cloud.apply(again, ProvisioningListener.none());
      assertThat(status(back.peering("app").id())).isEqualTo("active");
      Stack billingWithoutPeer = Stack.builder().name("billing").addAllNetworks(billing.networks())
          .addAllDatabases(billing.databases()).build();
      assertThat(cloud.plan(billingWithoutPeer).hasChanges()).isFalse();
    }
  }
}
