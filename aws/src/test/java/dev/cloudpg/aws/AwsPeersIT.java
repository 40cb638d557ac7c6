package dev.cloudpg.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cloudpg.InvalidSpecException;
import dev.cloudpg.Network;
import dev.cloudpg.PeerNetwork;
import dev.cloudpg.Peering;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ProvisioningListener;
import dev.cloudpg.Stack;
import dev.cloudpg.Violation;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/** What a stack's peerings refer to, checked while planning, and peers that change, against moto. */
class AwsPeersIT extends WithMotoClients {
  private String appVpc(String cidr, String name) {
    return ec2.createVpc(b -> b.cidrBlock(cidr).tagSpecifications(TagSpecification.builder()
        .resourceType(ResourceType.VPC).tags(Tag.builder().key("Name").value(name).build()).build())).vpc().vpcId();
  }

  private static Stack stack(String name, Peering.Builder... peerings) {
    Stack.Builder b = Stack.builder().name(name)
        .addNetworks(Network.builder().name("db").cidr("192.168.0.0/16").zones(2).build())
        .addDatabases(PostgresCluster.builder().name(name).network("db").instances(1).databaseName("keycloak")
            .deletionProtection(false).build());
    for (Peering.Builder p : peerings) {
      b.addPeerings(p.network("db").build());
    }
    return b.build();
  }

  private static Map<String, Integer> none() {
    return Map.of("vpc", 0, "subnet", 0, "security-group", 0, "db-subnet-group", 0, "aurora-cluster", 0,
        "aurora-instance", 0, "vpc-peering", 0);
  }

  @Test
  void plan_whenPeersFindNothing_failsNamingEachFieldAndValueWithNoMutatingCall() {
    String app = appVpc("10.31.0.0/16", "found");
    Stack stack = stack("unknown",
        Peering.builder().name("byid").peer(PeerNetwork.awsVpc("vpc-0000dead")),
        Peering.builder().name("bytag").peer(PeerNetwork.awsVpcByTag("Name", "nowhere")),
        Peering.builder().name("bynode").peer(PeerNetwork.awsVpcOfInstance("ip-10-9-9-9.eu-west-1.compute.internal")),
        Peering.builder().name("tables").peer(PeerNetwork.awsVpc(app))
            .addOptions(AwsPeeringOptions.routeTablesTagged("tier", "private-*")));
    AwsCallCounter calls = new AwsCallCounter();
    try (AwsCloud cloud = MotoClouds.cloud(aws, calls)) {
      assertThatThrownBy(() -> cloud.plan(stack)).isInstanceOfSatisfying(InvalidSpecException.class, e ->
          assertThat(e.violations()).extracting(Violation::toString).containsExactlyInAnyOrder(
              "peerings[byid].peer: \"vpc-0000dead\" is no VPC in " + aws.region(),
              "peerings[bytag].peer: \"Name=nowhere\" tags no VPC in " + aws.region(),
              "peerings[bynode].peer: \"ip-10-9-9-9.eu-west-1.compute.internal\" is the private DNS name of no "
                  + "instance in " + aws.region(),
              "peerings[tables].options: \"tier=private-*\" tags no route table of \"" + app + "\""));
      assertThatThrownBy(() -> cloud.apply(stack, ProvisioningListener.none()))
          .isInstanceOf(InvalidSpecException.class);
      assertThat(calls.mutating()).as(calls.toString()).isZero();
      assertThat(MotoClouds.owned(ec2, rds, "unknown")).isEqualTo(none());
    }
  }

  private static Stack peered(String name, PeerNetwork peer) {
    return stack(name, Peering.builder().name("app").peer(peer));
  }

  private java.util.List<software.amazon.awssdk.services.ec2.model.Route> mainRoutes(String vpcId) {
    return ec2.describeRouteTables(b -> b.filters(software.amazon.awssdk.services.ec2.model.Filter.builder()
        .name("vpc-id").values(vpcId).build())).routeTables().stream()
        .filter(t -> t.associations().stream().anyMatch(a -> Boolean.TRUE.equals(a.main()))).findFirst()
        .orElseThrow().routes();
  }

  private java.util.List<String> admitted(String groupId) {
    return ec2.describeSecurityGroups(b -> b.groupIds(groupId)).securityGroups().get(0).ipPermissions().stream()
        .flatMap(p -> p.ipRanges().stream()).map(r -> r.cidrIp() + " " + r.description()).toList();
  }

  @Test
  void apply_whenThePeerChanged_replacesTheConnectionNewBeforeOldAndLeavesNothingOfTheOldPeer() {
    String a = appVpc("10.41.0.0/16", "peer-a");
    String b = appVpc("10.42.0.0/16", "peer-b");
    java.util.List<String> mutations = new java.util.concurrent.CopyOnWriteArrayList<>();
    AwsCallCounter calls = new AwsCallCounter();
    software.amazon.awssdk.core.interceptor.ExecutionInterceptor recorder =
        new software.amazon.awssdk.core.interceptor.ExecutionInterceptor() {
          @Override
          public void beforeExecution(software.amazon.awssdk.core.interceptor.Context.BeforeExecution context,
              software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
            String op = attributes.getAttribute(software.amazon.awssdk.core.interceptor.SdkExecutionAttribute
                .OPERATION_NAME);
            if (AwsCallCounter.isMutating(op)) {
              mutations.add(op);
            }
          }
        };
    try (AwsCloud cloud = MotoClouds.cloud(aws, calls, recorder)) {
      dev.cloudpg.StackOutputs first = cloud.apply(peered("moved", PeerNetwork.awsVpc(a)));
      String oldId = first.peering("app").id();
      String groupId = first.network("db").attributes().get("securityGroupId");
      String netVpc = first.network("db").id();
      ec2.authorizeSecurityGroupIngress(r -> r.groupId(groupId).ipPermissions(IpPermission.builder().ipProtocol("tcp")
          .fromPort(5432).toPort(5432).ipRanges(IpRange.builder().cidrIp("10.99.0.0/16").description("by hand").build())
          .build()));
      mutations.clear();

      dev.cloudpg.Plan plan = cloud.plan(peered("moved", PeerNetwork.awsVpc(b)));
      assertThat(plan.render()).contains("1 to replace").contains("± aws:vpc-peering/app")
          .contains("peer: aws_vpc " + a + " in " + aws.region() + " -> aws_vpc " + b + " in " + aws.region())
          .contains("~ aws:route/app-to-peer").contains("~ aws:route/app-from-peer").contains("~ aws:ingress/app");
      dev.cloudpg.StackOutputs out = cloud.apply(plan);

      String newId = out.peering("app").id();
      assertThat(newId).isNotEqualTo(oldId);
      assertThat(mutations.indexOf("CreateVpcPeeringConnection")).isLessThan(mutations.indexOf("CreateRoute"));
      assertThat(mutations.lastIndexOf("AuthorizeSecurityGroupIngress"))
          .isLessThan(mutations.indexOf("DeleteVpcPeeringConnection"));
      assertThat(mutations.lastIndexOf("DeleteRoute")).isLessThan(mutations.indexOf("DeleteVpcPeeringConnection"));
      assertThat(MotoClouds.owned(ec2, rds, "moved")).containsEntry("vpc-peering", 1);
      assertThat(ec2.describeVpcPeeringConnections(r -> r.vpcPeeringConnectionIds(oldId)).vpcPeeringConnections()
          .get(0).status().codeAsString()).isEqualTo("deleted");
      assertThat(mainRoutes(a)).noneMatch(r -> "192.168.0.0/16".equals(r.destinationCidrBlock()));
      assertThat(mainRoutes(b)).anyMatch(r -> "192.168.0.0/16".equals(r.destinationCidrBlock())
          && newId.equals(r.vpcPeeringConnectionId()));
      assertThat(mainRoutes(netVpc)).noneMatch(r -> oldId.equals(r.vpcPeeringConnectionId()))
          .noneMatch(r -> "10.41.0.0/16".equals(r.destinationCidrBlock()))
          .anyMatch(r -> "10.42.0.0/16".equals(r.destinationCidrBlock()) && newId.equals(r.vpcPeeringConnectionId()));
      assertThat(admitted(groupId)).containsExactlyInAnyOrder("10.42.0.0/16 cloudpg moved/app",
          "10.99.0.0/16 by hand");
      assertThat(cloud.plan(peered("moved", PeerNetwork.awsVpc(b))).hasChanges()).isFalse();

      cloud.destroy(peered("moved", PeerNetwork.awsVpc(b)), ProvisioningListener.none(),
          dev.cloudpg.DestroyOptions.builder().skipFinalSnapshot(true).build());
      assertThat(MotoClouds.owned(ec2, rds, "moved")).isEqualTo(none());
    }
  }

  @Test
  void apply_whenThePeerMovedToAVpcWithTheSameCidr_switchesTheRoutesOver() {
    String a = appVpc("10.51.0.0/16", "same-a");
    String b = appVpc("10.51.0.0/16", "same-b");
    try (AwsCloud cloud = MotoClouds.cloud(aws)) {
      dev.cloudpg.StackOutputs first = cloud.apply(peered("same", PeerNetwork.awsVpc(a)));
      String netVpc = first.network("db").id();
      dev.cloudpg.StackOutputs out = cloud.apply(peered("same", PeerNetwork.awsVpcByTag("Name", "same-b")));
      String newId = out.peering("app").id();
      assertThat(mainRoutes(netVpc)).filteredOn(r -> "10.51.0.0/16".equals(r.destinationCidrBlock()))
          .extracting(software.amazon.awssdk.services.ec2.model.Route::vpcPeeringConnectionId).containsExactly(newId);
      assertThat(mainRoutes(a)).noneMatch(r -> "192.168.0.0/16".equals(r.destinationCidrBlock()));
      assertThat(cloud.plan(peered("same", PeerNetwork.awsVpcByTag("Name", "same-b"))).hasChanges()).isFalse();
      cloud.destroy(peered("same", PeerNetwork.awsVpc(b)), ProvisioningListener.none(),
          dev.cloudpg.DestroyOptions.builder().skipFinalSnapshot(true).build());
    }
  }
}
