package dev.cloudpg.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudpg.ApplyOptions;
import dev.cloudpg.DestroyOptions;
import dev.cloudpg.Network;
import dev.cloudpg.PeerNetwork;
import dev.cloudpg.Peering;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ProvisioningListener;
import dev.cloudpg.Stack;
import dev.cloudpg.StackOutputs;
import dev.cloudpg.testkit.aws.AwsEndpoint;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * Every mutating call of the {@code aurora} graph in turn loses its answer once (the proxy lets moto act, then drops
 * the connection): the engine, which alone retries, looks before it sends a create again, so each apply converges to
 * exactly one of each resource, and a destroy afterwards leaves nothing tagged with the stack.
 */
class AwsLostAnswerIT extends WithMotoClients {
  private static final ApplyOptions QUICK_RETRIES = ApplyOptions.builder().retryDelay(Duration.ofMillis(10))
      .maxRetryDelay(Duration.ofMillis(100)).build();
  private static final DestroyOptions ALL = DestroyOptions.builder().overrideDeletionProtection(true)
      .skipFinalSnapshot(true).build();

  private DynamoDbClient dynamo;
  private FaultyProxy proxy;

  @BeforeAll
  void start(AwsEndpoint endpoint) {
    this.dynamo = DynamoDbClient.builder().region(Region.of(endpoint.region())).endpointOverride(endpoint.uri())
        .credentialsProvider(MotoClouds.CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
    this.proxy = FaultyProxy.start(endpoint.uri());
  }

  @AfterAll
  void stop() {
    proxy.close();
    dynamo.close();
  }

  private AwsCloud cloud(AwsCallCounter calls) {
    return AwsCloud.builder().region(aws.region()).endpointOverride(proxy.uri())
        .credentialsProvider(MotoClouds.CREDENTIALS).waitPolicy(MotoClouds.FAST).addInterceptor(calls).build();
  }

  /** Procedure A's stack: one network in two zones, a database of two instances, one peering. */
  private static Stack aurora(String name, String appVpc) {
    return Stack.builder().name(name)
        .addNetworks(Network.builder().name("db").cidr("192.168.0.0/16").zones(2).build())
        .addDatabases(PostgresCluster.builder().name(name).network("db").instances(2).build())
        .addPeerings(Peering.builder().name("app").network("db").peer(PeerNetwork.awsVpc(appVpc)).build())
        .build();
  }

  private void deleteLeaseTable() {
    try {
      dynamo.deleteTable(b -> b.tableName("cloudpg-leases"));
    } catch (ResourceNotFoundException e) {
      // none yet
    }
  }

  /** What carries the stack's tag, by kind; live peerings only. */
  private Map<String, Integer> owned(String stack) {
    return MotoClouds.owned(ec2, rds, stack);
  }

  private static final Map<String, Integer> ONE_OF_EACH = Map.of("vpc", 1, "subnet", 2, "security-group", 1,
      "db-subnet-group", 1, "aurora-cluster", 1, "aurora-instance", 2, "vpc-peering", 1);
  private static final Map<String, Integer> NONE = Map.of("vpc", 0, "subnet", 0, "security-group", 0,
      "db-subnet-group", 0, "aurora-cluster", 0, "aurora-instance", 0, "vpc-peering", 0);

  @Test
  void apply_whenEachMutatingCallLosesItsAnswerOnce_convergesToOneOfEachAndDestroyLeavesNothing() {
    // the mutating calls of one apply, as a clean run makes them (the first one also makes the lease table, which
    // another test of this class may have made already)
    deleteLeaseTable();
    AwsCallCounter calls = new AwsCallCounter();
    String firstApp = ec2.createVpc(b -> b.cidrBlock("10.50.0.0/16")).vpc().vpcId();
    List<String> mutating;
    try (AwsCloud cloud = cloud(calls)) {
      cloud.apply(aurora("clean", firstApp), ProvisioningListener.none(), QUICK_RETRIES);
      mutating = calls.snapshot().keySet().stream().filter(AwsCallCounter::isMutating).toList();
      cloud.destroy(aurora("clean", firstApp), ProvisioningListener.none(), ALL);
    }
    assertThat(mutating).contains("Ec2.CreateVpc", "Ec2.CreateSubnet", "Ec2.AssociateRouteTable",
        "Ec2.CreateSecurityGroup", "Rds.CreateDBSubnetGroup", "Rds.CreateDBCluster", "Rds.CreateDBInstance",
        "Ec2.CreateVpcPeeringConnection", "Ec2.AcceptVpcPeeringConnection", "Ec2.CreateRoute",
        "Ec2.AuthorizeSecurityGroupIngress", "DynamoDb.CreateTable", "DynamoDb.PutItem", "DynamoDb.DeleteItem");

    int n = 0;
    for (String call : mutating) {
      String operation = call.substring(call.indexOf('.') + 1);
      String stack = "lost-" + ++n;
      String app = ec2.createVpc(b -> b.cidrBlock("10.60.0.0/16")).vpc().vpcId();
      if (operation.equals("CreateTable")) {
        deleteLeaseTable();
      }
      int before = proxy.requests(operation);
      proxy.failNext(operation, FaultyProxy.Fault.LOSE_RESPONSE);
      try (AwsCloud cloud = cloud(new AwsCallCounter())) {
        StackOutputs out = cloud.apply(aurora(stack, app), ProvisioningListener.none(), QUICK_RETRIES);

        assertThat(proxy.requests(operation) - before).as(call + " was sent").isPositive();
        assertThat(owned(stack)).as("after losing the answer to " + call).isEqualTo(ONE_OF_EACH);
        assertThat(out.peering("app").state()).as(call).isEqualTo("active");
        assertThat(cloud.plan(aurora(stack, app)).hasChanges()).as("re-plan after losing " + call).isFalse();

        cloud.destroy(aurora(stack, app), ProvisioningListener.none(), ALL);

        assertThat(owned(stack)).as("after the destroy that followed losing " + call).isEqualTo(NONE);
        assertThat(ec2.describeRouteTables(b -> b.filters(Filter.builder().name("vpc-id").values(app).build()))
            .routeTables()).flatExtracting(t -> t.routes()).as(call)
            .noneMatch(r -> out.peering("app").id().equals(r.vpcPeeringConnectionId()));
      }
    }
  }

  @Test
  void apply_whenTheNewConnectionOfAReplacedPeeringLosesItsAnswer_usesTheOneItMadeAndLeavesOne() {
    String first = ec2.createVpc(b -> b.cidrBlock("10.70.0.0/16")).vpc().vpcId();
    String second = ec2.createVpc(b -> b.cidrBlock("10.71.0.0/16")).vpc().vpcId();
    try (AwsCloud cloud = cloud(new AwsCallCounter())) {
      String old = cloud.apply(aurora("moved", first), ProvisioningListener.none(), QUICK_RETRIES).peering("app")
          .id();
      int before = proxy.requests("CreateVpcPeeringConnection");
      proxy.failNext("CreateVpcPeeringConnection", FaultyProxy.Fault.LOSE_RESPONSE);

      StackOutputs out = cloud.apply(aurora("moved", second), ProvisioningListener.none(), QUICK_RETRIES);

      assertThat(proxy.requests("CreateVpcPeeringConnection") - before).as("one request: the lost one was used")
          .isEqualTo(1);
      assertThat(owned("moved")).isEqualTo(ONE_OF_EACH);
      assertThat(out.peering("app").id()).isNotEqualTo(old);
      assertThat(ec2.describeVpcPeeringConnections(b -> b.vpcPeeringConnectionIds(out.peering("app").id()))
          .vpcPeeringConnections()).singleElement().satisfies(c -> {
            assertThat(c.requesterVpcInfo().vpcId()).isEqualTo(second);
            assertThat(c.status().codeAsString()).isEqualTo("active");
          });
      assertThat(cloud.plan(aurora("moved", second)).hasChanges()).as("re-plan").isFalse();
      cloud.destroy(aurora("moved", second), ProvisioningListener.none(), ALL);
      assertThat(owned("moved")).isEqualTo(NONE);
    }
  }
}
