package dev.cloudpg.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudpg.Network;
import dev.cloudpg.PeerNetwork;
import dev.cloudpg.Peering;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ProvisioningListener;
import dev.cloudpg.Stack;
import dev.cloudpg.testkit.aws.AwsEndpoint;
import dev.cloudpg.testkit.aws.WithAwsEndpoint;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * What one plan of the {@code aurora} stack costs in AWS calls, with discovery: the same whether the region holds
 * nothing else or 200 other VPCs. The figures are printed for the record.
 */
@WithAwsEndpoint
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AwsPlanCostIT {
  private AwsEndpoint aws;
  private Ec2Client ec2;

  @BeforeAll
  void clients(AwsEndpoint endpoint) {
    this.aws = endpoint;
    this.ec2 = MotoClouds.ec2(endpoint, endpoint.region());
  }

  @AfterAll
  void close() {
    ec2.close();
  }

  private Map<String, Integer> planCalls(AwsCloud cloud, AwsCallCounter calls, Stack stack) {
    calls.reset();
    assertThat(cloud.plan(stack).hasChanges()).isFalse();
    return calls.snapshot();
  }

  @Test
  void plan_whenTheRegionHolds200OtherVpcs_makesAsManyCallsAsWithoutThem() {
    String app = ec2.createVpc(b -> b.cidrBlock("10.0.0.0/16")).vpc().vpcId();
    Stack aurora = Stack.builder().name("keycloak-aurora")
        .addNetworks(Network.builder().name("db").cidr("192.168.0.0/16").zones(2).build())
        .addDatabases(PostgresCluster.builder().name("keycloak-aurora").network("db").instances(2).build())
        .addPeerings(Peering.builder().name("app").network("db").peer(PeerNetwork.awsVpc(app)).build())
        .build();
    AwsCallCounter calls = new AwsCallCounter();
    try (AwsCloud cloud = MotoClouds.cloud(aws, calls)) {
      cloud.apply(aurora, ProvisioningListener.none());
      Map<String, Integer> alone = planCalls(cloud, calls, aurora);

      for (int i = 0; i < 200; i++) {
        int n = i;
        ec2.createVpc(b -> b.cidrBlock("172." + (16 + n / 16) + "." + (n % 16 * 16) + ".0/20"));
      }
      Map<String, Integer> crowded = planCalls(cloud, calls, aurora);

      int total = alone.values().stream().mapToInt(Integer::intValue).sum();
      System.out.println("one plan of the aurora stack: " + total + " calls " + alone);
      System.out.println("with 200 other VPCs in the region: "
          + crowded.values().stream().mapToInt(Integer::intValue).sum() + " calls " + crowded);
      assertThat(crowded).isEqualTo(alone);
      assertThat(alone).containsEntry("ResourceGroupsTaggingApi.GetResources", 1);
      assertThat(total).isLessThan(40);
    }
  }
}
