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
import dev.cloudpg.testkit.aws.AwsEndpoint;
import dev.cloudpg.testkit.aws.WithAwsEndpoint;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.rds.RdsClient;

/** What a stack's peerings refer to, checked while planning, and peers that change, against moto. */
@WithAwsEndpoint
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AwsPeersIT {
  private AwsEndpoint aws;
  private Ec2Client ec2;
  private RdsClient rds;

  @BeforeAll
  void clients(AwsEndpoint endpoint) {
    this.aws = endpoint;
    this.ec2 = MotoClouds.ec2(endpoint, endpoint.region());
    this.rds = MotoClouds.rds(endpoint);
  }

  @AfterAll
  void close() {
    ec2.close();
    rds.close();
  }

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
}
