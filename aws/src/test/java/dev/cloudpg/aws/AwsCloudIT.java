package dev.cloudpg.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cloudpg.ApplyFailedException;
import dev.cloudpg.ApplyOptions;
import dev.cloudpg.ChangeAction;
import dev.cloudpg.ConflictException;
import dev.cloudpg.DeletionProtectedException;
import dev.cloudpg.DestroyOptions;
import dev.cloudpg.InvalidSpecException;
import dev.cloudpg.Network;
import dev.cloudpg.PeerNetwork;
import dev.cloudpg.Peering;
import dev.cloudpg.Plan;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ProviderException;
import dev.cloudpg.ProvisioningEvent;
import dev.cloudpg.ProvisioningListener;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Secret;
import dev.cloudpg.Stack;
import dev.cloudpg.StackOutputs;
import dev.cloudpg.Violation;
import dev.cloudpg.spi.Cidr;
import dev.cloudpg.spi.Ownership;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CreateVpcPeeringConnectionResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Route;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.Vpc;
import software.amazon.awssdk.services.ec2.model.VpcPeeringConnection;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.RdsException;

/** The AWS provider end to end through the real SDK, against moto (or the endpoint in CLOUDPG_AWS_ENDPOINT). */
class AwsCloudIT extends WithMotoClients {
  private static final String APP_CIDR = "10.0.0.0/16";

  private static Stack versioned(String name, String version) {
    return Stack.builder().name(name)
        .addNetworks(Network.builder().name("db").cidr("192.168.0.0/16").zones(2).build())
        .addDatabases(PostgresCluster.builder().name(name).network("db").instances(1).databaseName("keycloak")
            .deletionProtection(false).addOptions(AuroraOptions.builder().engineVersion(version).build()).build())
        .build();
  }

  @Test
  void apply_whenAwsUpgradedTheMinorVersionOnItsOwn_changesNothingAndAHigherMinorUpgradesInPlace() {
    try (AwsCloud cloud = MotoClouds.cloud(aws)) {
      cloud.apply(versioned("minor", "17.5"));
      rds.modifyDBCluster(b -> b.dbClusterIdentifier("minor").engineVersion("17.7").applyImmediately(true));

      Plan same = cloud.plan(versioned("minor", "17.5"));
      assertThat(same.hasChanges()).as(same.render()).isFalse();

      Plan upgrade = cloud.plan(versioned("minor", "17.9"));
      assertThat(upgrade.render())
          .contains("~ aws:aurora-cluster/minor").contains("engineVersion: 17.7 -> 17.9");
      cloud.apply(upgrade);
      assertThat(rds.describeDBClusters(b -> b.dbClusterIdentifier("minor"))
          .dbClusters().get(0).engineVersion()).isEqualTo("17.9");
      assertThat(cloud.plan(versioned("minor", "17.9")).hasChanges()).isFalse();

      assertThatThrownBy(() -> cloud.plan(versioned("minor", "16.4")))
          .isInstanceOf(ConflictException.class).hasMessageContaining("never downgrades")
          .hasMessageContaining("17.9");
      assertThatThrownBy(() -> cloud.plan(versioned("minor", "18")))
          .isInstanceOf(ConflictException.class).hasMessageContaining("allowMajorVersionUpgrade(true)");
      cloud.destroy(versioned("minor", "17.9"), ProvisioningListener.none(),
          DestroyOptions.builder().skipFinalSnapshot(true).build());
    }
  }

  // ---- helpers ----

  private String appVpc(Ec2Client client, String cidr) {
    return client.createVpc(b -> b.cidrBlock(cidr).tagSpecifications(TagSpecification.builder()
        .resourceType(ResourceType.VPC).tags(Tag.builder().key("Name").value("app").build()).build())).vpc().vpcId();
  }

  private static Stack stack(String name, PeerNetwork peer) {
    return Stack.builder().name(name)
        .addNetworks(Network.builder().name("db").cidr("192.168.0.0/16").zones(2).build())
        .addDatabases(PostgresCluster.builder().name(name).network("db").instances(2).databaseName("keycloak")
            .build())
        .addPeerings(Peering.builder().name("app").network("db").peer(peer).build())
        .build();
  }

  /** How many resources of each kind carry the stack's ownership tag. */
  private Map<String, Integer> owned(String stack, Ec2Client... peerRegions) {
    return MotoClouds.owned(ec2, rds, stack, peerRegions);
  }

  private static Map<String, Integer> oneOfEach(int instances) {
    return Map.of("vpc", 1, "subnet", 2, "security-group", 1, "db-subnet-group", 1, "aurora-cluster", 1,
        "aurora-instance", instances, "vpc-peering", 1);
  }

  private static Map<String, Integer> none() {
    return Map.of("vpc", 0, "subnet", 0, "security-group", 0, "db-subnet-group", 0, "aurora-cluster", 0,
        "aurora-instance", 0, "vpc-peering", 0);
  }

  private static RouteTable mainTable(Ec2Client client, String vpcId) {
    return client.describeRouteTables(b -> b.filters(Filter.builder().name("vpc-id").values(vpcId).build()))
        .routeTables().stream().filter(t -> t.associations().stream().anyMatch(a -> Boolean.TRUE.equals(a.main())))
        .findFirst().orElseThrow();
  }

  private static boolean routes(RouteTable table, String destination, String peeringId) {
    return table.routes().stream().anyMatch(r -> destination.equals(r.destinationCidrBlock())
        && peeringId.equals(r.vpcPeeringConnectionId()));
  }

  /** Fails the first call of one operation with a non-transient AWS error, as a capacity shortage would. */
  private static final class FailOnce implements ExecutionInterceptor {
    private final String operation;
    private final AtomicBoolean failed = new AtomicBoolean();

    FailOnce(String operation) {
      this.operation = operation;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      if (operation.equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))
          && failed.compareAndSet(false, true)) {
        throw RdsException.builder().statusCode(400).message("injected").awsErrorDetails(AwsErrorDetails.builder()
            .errorCode("InsufficientDBInstanceCapacity").errorMessage("injected: no capacity in this zone")
            .serviceName("Rds").build()).build();
      }
    }
  }

  /** Rejects every peering connection the cloud requests, in the accepter's region, as soon as it is requested. */
  private static final class RejectPeerings implements ExecutionInterceptor {
    private final Ec2Client accepter;

    RejectPeerings(Ec2Client accepter) {
      this.accepter = accepter;
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
      if (context.response() instanceof CreateVpcPeeringConnectionResponse) {
        String id = ((CreateVpcPeeringConnectionResponse) context.response()).vpcPeeringConnection()
            .vpcPeeringConnectionId();
        accepter.rejectVpcPeeringConnection(b -> b.vpcPeeringConnectionId(id));
      }
    }
  }

  // ---- tests ----

  @Test
  void apply_whenStackIsNew_createsEverythingProcedureAMakes() {
    String app = appVpc(ec2, APP_CIDR);
    Stack stack = stack("lifecycle", PeerNetwork.awsVpc(app));
    try (AwsCloud cloud = MotoClouds.cloud(aws)) {
      StackOutputs out = cloud.apply(stack, ProvisioningListener.none());

      String vpcId = out.network("db").id();
      Vpc vpc = ec2.describeVpcs(b -> b.vpcIds(vpcId)).vpcs().get(0);
      assertThat(vpc.cidrBlock()).isEqualTo("192.168.0.0/16");
      assertThat(vpc.tags()).extracting(Tag::key, Tag::value)
          .contains(org.assertj.core.groups.Tuple.tuple("AuroraCluster", "lifecycle"),
              org.assertj.core.groups.Tuple.tuple(Ownership.STACK, "lifecycle"),
              org.assertj.core.groups.Tuple.tuple(Ownership.KEY, "aws:vpc/db"));

      List<Subnet> subnets = ec2.describeSubnets(b -> b.subnetIds(out.network("db").subnetIds())).subnets();
      assertThat(subnets).extracting(Subnet::cidrBlock).containsExactlyInAnyOrder("192.168.0.0/19",
          "192.168.32.0/19");
      assertThat(subnets.stream().map(Subnet::availabilityZone).distinct()).hasSize(2);
      RouteTable main = mainTable(ec2, vpcId);
      assertThat(main.associations()).filteredOn(a -> a.subnetId() != null).extracting(a -> a.subnetId())
          .containsExactlyInAnyOrderElementsOf(out.network("db").subnetIds());

      String groupId = out.network("db").attributes().get("securityGroupId");
      List<IpPermission> ingress = ec2.describeSecurityGroups(b -> b.groupIds(groupId)).securityGroups().get(0)
          .ipPermissions();
      assertThat(ingress).hasSize(1);
      assertThat(ingress.get(0).ipProtocol()).isEqualTo("tcp");
      assertThat(ingress.get(0).fromPort()).isEqualTo(5432);
      assertThat(ingress.get(0).toPort()).isEqualTo(5432);
      assertThat(ingress.get(0).ipRanges()).extracting(r -> r.cidrIp()).containsExactly(APP_CIDR);

      DBCluster cluster = rds.describeDBClusters(b -> b.dbClusterIdentifier("lifecycle")).dbClusters().get(0);
      assertThat(cluster.engine()).isEqualTo("aurora-postgresql");
      assertThat(cluster.storageEncrypted()).isTrue();
      assertThat(cluster.deletionProtection()).isTrue();
      assertThat(cluster.dbSubnetGroup()).isEqualTo("lifecycle-db");
      assertThat(cluster.masterUserSecret().secretArn()).isEqualTo(out.database("lifecycle").secretReference()
          .orElseThrow());
      assertThat(out.database("lifecycle").writerEndpoint()).isEqualTo(cluster.endpoint());
      assertThat(out.database("lifecycle").readerEndpoint()).contains(cluster.readerEndpoint());
      assertThat(out.database("lifecycle").port()).isEqualTo(5432);

      List<DBInstance> instances = rds.describeDBInstances(b -> b.filters(
          software.amazon.awssdk.services.rds.model.Filter.builder().name("db-cluster-id").values("lifecycle")
              .build())).dbInstances();
      assertThat(instances).extracting(DBInstance::dbInstanceIdentifier)
          .containsExactlyInAnyOrder("lifecycle-instance-1", "lifecycle-instance-2");
      assertThat(instances.stream().map(DBInstance::availabilityZone).distinct()).hasSize(2);

      String peeringId = out.peering("app").id();
      assertThat(out.peering("app").state()).isEqualTo("active");
      assertThat(routes(main, APP_CIDR, peeringId)).isTrue();
      assertThat(routes(mainTable(ec2, app), "192.168.0.0/16", peeringId)).isTrue();
      assertThat(owned("lifecycle")).isEqualTo(oneOfEach(2));
    }
  }

  @Test
  void apply_whenStackAlreadyApplied_plansNoChangeAndMakesNoMutatingCallButTheLeases() {
    String app = appVpc(ec2, APP_CIDR);
    Stack stack = stack("again", PeerNetwork.awsVpc(app));
    AwsCallCounter calls = new AwsCallCounter();
    try (AwsCloud cloud = MotoClouds.cloud(aws, calls)) {
      StackOutputs first = cloud.apply(stack, ProvisioningListener.none());
      assertThat(calls.mutating()).isPositive();
      calls.reset();

      Plan plan = cloud.plan(stack);
      StackOutputs second = cloud.apply(plan, ProvisioningListener.none());

      assertThat(plan.hasChanges()).as(plan.render()).isFalse();
      // the stack's lease is taken and released (one DynamoDB item); nothing else is written
      assertThat(calls.snapshot()).as(calls.toString()).containsEntry("DynamoDb.PutItem", 1)
          .containsEntry("DynamoDb.DeleteItem", 1);
      assertThat(calls.mutating()).as(calls.toString()).isEqualTo(2);
      assertThat(second).isEqualTo(first);
      assertThat(owned("again")).isEqualTo(oneOfEach(2));
    }
  }

  @Test
  void apply_whenCreateDbInstanceFailsOnce_resumesToExactlyOneOfEach() {
    String app = appVpc(ec2, APP_CIDR);
    Stack stack = stack("resume", PeerNetwork.awsVpc(app));
    AwsCallCounter calls = new AwsCallCounter();
    try (AwsCloud cloud = MotoClouds.cloud(aws, new FailOnce("CreateDBInstance"), calls)) {
      assertThatThrownBy(() -> cloud.apply(stack, ProvisioningListener.none()))
          .isInstanceOfSatisfying(ApplyFailedException.class, e -> {
            assertThat(e.failures()).hasSize(1);
            Throwable cause = e.failures().values().iterator().next();
            assertThat(cause).isInstanceOfSatisfying(ProviderException.class, p -> {
              assertThat(p.errorCode()).isEqualTo("InsufficientDBInstanceCapacity");
              assertThat(p.retryable()).isFalse();
            });
            assertThat(e.failures().keySet().iterator().next().type()).isEqualTo("aurora-instance");
          });
      assertThat(owned("resume").get("aurora-instance")).isLessThan(2);

      Plan resume = cloud.plan(stack);
      // what was done is not redone; steps the failure kept from starting (routes, ingress) may remain
      assertThat(resume.changes()).filteredOn(c -> c.action() == ChangeAction.CREATE)
          .extracting(c -> c.resource().type()).contains("aurora-instance")
          .isSubsetOf("aurora-instance", "route", "ingress");
      calls.reset();
      cloud.apply(resume, ProvisioningListener.none());

      assertThat(calls.snapshot()).containsEntry("Rds.CreateDBInstance", 1)
          .doesNotContainKeys("Ec2.CreateVpc", "Rds.CreateDBCluster", "Ec2.CreateVpcPeeringConnection");
      assertThat(owned("resume")).isEqualTo(oneOfEach(2));
      assertThat(cloud.plan(stack).hasChanges()).isFalse();
    }
  }

  @Test
  void destroy_whenDeletionProtectionOn_refusesAndDeletesNothing() {
    String app = appVpc(ec2, APP_CIDR);
    Stack stack = stack("guarded", PeerNetwork.awsVpc(app));
    try (AwsCloud cloud = MotoClouds.cloud(aws)) {
      cloud.apply(stack, ProvisioningListener.none());

      assertThatThrownBy(() -> cloud.destroy(stack)).isInstanceOfSatisfying(DeletionProtectedException.class,
          e -> assertThat(e.protectedResources()).containsExactly(ResourceKey.parse("aws:aurora-cluster/guarded")));

      assertThat(owned("guarded")).isEqualTo(oneOfEach(2));
    }
  }

  @Test
  void destroy_whenProtectionOverridden_leavesNothingOwnedAndKeepsFinalSnapshot() {
    String app = appVpc(ec2, APP_CIDR);
    Stack stack = stack("gone", PeerNetwork.awsVpc(app));
    try (AwsCloud cloud = MotoClouds.cloud(aws)) {
      StackOutputs out = cloud.apply(stack, ProvisioningListener.none());
      String peeringId = out.peering("app").id();

      var result = cloud.destroy(stack, ProvisioningListener.none(),
          DestroyOptions.builder().overrideDeletionProtection(true).build());

      assertThat(result.succeeded()).isTrue();
      assertThat(owned("gone")).isEqualTo(none());
      assertThat(ec2.describeVpcs(b -> b.filters(Filter.builder().name("tag:Name").values("gone-db").build()))
          .vpcs()).isEmpty();
      assertThat(mainTable(ec2, app).routes()).noneMatch(r -> peeringId.equals(r.vpcPeeringConnectionId()));
      assertThat(rds.describeDBClusterSnapshots().dbClusterSnapshots())
          .anyMatch(s -> s.dbClusterSnapshotIdentifier().startsWith("gone-final-"));
      assertThat(cloud.plan(stack).changes()).allMatch(c -> c.action() == ChangeAction.CREATE);
      assertThat(cloud.destroy(stack, ProvisioningListener.none(), DestroyOptions.defaults()).done()).isEmpty();
    }
  }

  @Test
  void apply_whenAppVpcInAnotherRegion_peersAcrossRegionsWithRoutesBothWays() {
    String appRegion = aws.region().equals("us-east-1") ? "us-west-2" : "us-east-1";
    try (Ec2Client appEc2 = MotoClouds.ec2(aws, appRegion); AwsCloud cloud = MotoClouds.cloud(aws)) {
      String app = appVpc(appEc2, "10.20.0.0/16");
      Stack stack = stack("remote", PeerNetwork.awsVpc(app).withRegion(appRegion));

      StackOutputs out = cloud.apply(stack, ProvisioningListener.none());

      String peeringId = out.peering("app").id();
      VpcPeeringConnection pcx = appEc2.describeVpcPeeringConnections(b -> b.vpcPeeringConnectionIds(peeringId))
          .vpcPeeringConnections().get(0);
      assertThat(pcx.status().codeAsString()).isEqualTo("active");
      assertThat(pcx.requesterVpcInfo().vpcId()).isEqualTo(app);
      assertThat(pcx.requesterVpcInfo().region()).isEqualTo(appRegion);
      assertThat(pcx.accepterVpcInfo().vpcId()).isEqualTo(out.network("db").id());
      assertThat(pcx.accepterVpcInfo().region()).isEqualTo(aws.region());
      assertThat(routes(mainTable(appEc2, app), "192.168.0.0/16", peeringId)).isTrue();
      assertThat(routes(mainTable(ec2, out.network("db").id()), "10.20.0.0/16", peeringId)).isTrue();
      assertThat(out.peering("app").attributes()).containsEntry("peerRegion", appRegion);
      assertThat(owned("remote", appEc2)).isEqualTo(oneOfEach(2));
      assertThat(cloud.plan(stack).hasChanges()).isFalse();

      cloud.destroy(stack, ProvisioningListener.none(), DestroyOptions.builder().overrideDeletionProtection(true)
          .skipFinalSnapshot(true).build());

      assertThat(owned("remote", appEc2)).isEqualTo(none());
      assertThat(mainTable(appEc2, app).routes()).extracting(Route::vpcPeeringConnectionId).containsOnlyNulls();
    }
  }

  @Test
  void plan_whenSpecBreaksAwsRules_rejectsEveryProblemBeforeAnyCall() {
    AwsCallCounter calls = new AwsCallCounter();
    Stack stack = Stack.builder().name("invalid")
        .addNetworks(Network.builder().name("db").cidr("192.168.0.0/26").zones(1).build())
        .addDatabases(PostgresCluster.builder().name("pg").network("db").port(1024)
            .masterPassword(Secret.of("has/slash-and-more"))
            .addOptions(AuroraOptions.builder().instanceClass("r7g.large").engineVersion("sixteen").build())
            .build())
        .addPeerings(Peering.builder().name("app").network("db")
            .peer(PeerNetwork.azureVnet("sub", "rg", "vnet")).build())
        .build();
    try (AwsCloud cloud = MotoClouds.cloud(aws, calls)) {
      assertThatThrownBy(() -> cloud.plan(stack)).isInstanceOfSatisfying(InvalidSpecException.class, e -> {
        assertThat(e.violations()).extracting(Violation::path).containsExactlyInAnyOrder(
            "networks[db].zones", "databases[pg].options.instanceClass", "databases[pg].options.engineVersion",
            "databases[pg].port", "databases[pg].masterPassword", "peerings[app].peer.kind");
        assertThat(e.getMessage()).contains("r7g.large").doesNotContain("has/slash");
      });
      assertThat(calls.total()).isZero();
    }
  }

  @Test
  void build_whenRegionIsNotAnAwsRegion_rejectsIt() {
    assertThatThrownBy(() -> AwsCloud.builder().region("Europe 1").build())
        .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.violations())
            .extracting(Violation::path, Violation::value).containsExactly(
                org.assertj.core.groups.Tuple.tuple("region", "Europe 1")));
  }

  @Test
  void apply_whenNetworkHasNoCidr_allocatesBlockOverlappingNoVpcAndNoPeerCidr() {
    String app = appVpc(ec2, APP_CIDR);
    Stack stack = Stack.builder().name("pool")
        .addNetworks(Network.builder().name("db").zones(2).build())
        .addPeerings(Peering.builder().name("app").network("db")
            .peer(PeerNetwork.awsVpc(app).withCidrs("10.1.0.0/16")).build())
        .build();
    try (AwsCloud cloud = MotoClouds.cloud(aws)) {
      StackOutputs out = cloud.apply(stack, ProvisioningListener.none());

      Cidr allocated = Cidr.parse(out.network("db").cidr());
      assertThat(allocated.prefix()).isEqualTo(20);
      for (Vpc other : ec2.describeVpcs().vpcs()) {
        if (!other.vpcId().equals(out.network("db").id())) {
          assertThat(allocated.overlaps(Cidr.parse(other.cidrBlock()))).as(other.cidrBlock()).isFalse();
        }
      }
      assertThat(allocated.overlaps(Cidr.parse("10.1.0.0/16"))).isFalse();
      String groupId = out.network("db").attributes().get("securityGroupId");
      assertThat(ec2.describeSecurityGroups(b -> b.groupIds(groupId)).securityGroups().get(0).ipPermissions())
          .flatExtracting(IpPermission::ipRanges).extracting(r -> r.cidrIp()).containsExactly("10.1.0.0/16");
      assertThat(cloud.plan(stack).hasChanges()).isFalse();
      cloud.destroy(stack);
      assertThat(ec2.describeVpcs(b -> b.vpcIds(app)).vpcs()).hasSize(1);
    }
  }

  @Test
  void plan_whenVpcWithStackNameBelongsToNobody_refusesWithConflictAndChangesNothing() {
    ec2.createVpc(b -> b.cidrBlock("172.20.0.0/16").tagSpecifications(TagSpecification.builder()
        .resourceType(ResourceType.VPC).tags(Tag.builder().key("Name").value("taken-db").build()).build()));
    Stack stack = Stack.builder().name("taken")
        .addNetworks(Network.builder().name("db").cidr("172.21.0.0/16").build()).build();
    AwsCallCounter calls = new AwsCallCounter();
    try (AwsCloud cloud = MotoClouds.cloud(aws, calls)) {
      assertThatThrownBy(() -> cloud.plan(stack)).isInstanceOf(ConflictException.class)
          .hasMessageContaining("aws:vpc/db").hasMessageContaining("not made by cloudpg");
      assertThat(calls.mutating()).isZero();
      assertThat(cloud.destroy(stack).done()).isEmpty();
      assertThat(ec2.describeVpcs(b -> b.filters(Filter.builder().name("tag:Name").values("taken-db").build()))
          .vpcs()).hasSize(1);
    }
  }

  @Test
  void writerEndpoint_whenClusterExists_returnsItsEndpoint() {
    String app = appVpc(ec2, APP_CIDR);
    Stack stack = stack("lookup", PeerNetwork.awsVpc(app));
    try (AwsCloud cloud = MotoClouds.cloud(aws)) {
      StackOutputs out = cloud.apply(stack, ProvisioningListener.none());

      assertThat(cloud.writerEndpoint("lookup")).contains(out.database("lookup").writerEndpoint());
      assertThat(cloud.database("lookup").orElseThrow().secretReference())
          .isEqualTo(out.database("lookup").secretReference());
      assertThat(cloud.writerEndpoint("no-such-cluster")).isEmpty();
    }
  }

  @Test
  void apply_whenPeerIsFoundByInstanceDnsNameAndTaggedRouteTables_routesFromThoseTables() {
    String app = appVpc(ec2, "10.30.0.0/16");
    String subnet = ec2.createSubnet(b -> b.vpcId(app).cidrBlock("10.30.1.0/24")).subnet().subnetId();
    String publicTable = ec2.createRouteTable(b -> b.vpcId(app).tagSpecifications(TagSpecification.builder()
        .resourceType(ResourceType.ROUTE_TABLE).tags(Tag.builder().key("Name").value("rosa-public-a").build())
        .build())).routeTable().routeTableId();
    String image = ec2.describeImages().images().get(0).imageId();
    String node = ec2.runInstances(b -> b.imageId(image).minCount(1).maxCount(1).subnetId(subnet)).instances()
        .get(0).privateDnsName();
    Stack stack = Stack.builder().name("bydns")
        .addNetworks(Network.builder().name("db").cidr("192.168.0.0/16").zones(3).build())
        .addDatabases(PostgresCluster.builder().name("bydns").network("db").instances(3).build())
        .addPeerings(Peering.builder().name("rosa").network("db").peer(PeerNetwork.awsVpcOfInstance(node)
            .withCidrs("10.30.1.0/24")).addOptions(AwsPeeringOptions.routeTablesTagged("Name", "*public*")).build())
        .build();
    try (AwsCloud cloud = MotoClouds.cloud(aws)) {
      StackOutputs out = cloud.apply(stack, ProvisioningListener.none());

      String peeringId = out.peering("rosa").id();
      assertThat(out.peering("rosa").attributes()).containsEntry("peerVpcId", app);
      RouteTable tagged = ec2.describeRouteTables(b -> b.routeTableIds(publicTable)).routeTables().get(0);
      assertThat(routes(tagged, "192.168.0.0/16", peeringId)).isTrue();
      assertThat(routes(mainTable(ec2, app), "192.168.0.0/16", peeringId)).isFalse();
      assertThat(rds.describeDBInstances().dbInstances().stream()
          .filter(i -> i.dbInstanceIdentifier().startsWith("bydns-instance-")).map(DBInstance::availabilityZone)
          .distinct()).hasSize(3);
      String groupId = out.network("db").attributes().get("securityGroupId");
      assertThat(ec2.describeSecurityGroups(b -> b.groupIds(groupId)).securityGroups().get(0).ipPermissions())
          .flatExtracting(IpPermission::ipRanges).extracting(r -> r.cidrIp()).containsExactly("10.30.1.0/24");
    }
  }

  @Test
  void apply_whenPasswordIsGiven_neverShowsItInPlanEventsOrOutputs() {
    String password = "Sup3r-Secret-Value-42";
    String app = appVpc(ec2, APP_CIDR);
    Stack stack = Stack.builder().name("secret")
        .addNetworks(Network.builder().name("db").cidr("192.168.0.0/16").build())
        .addDatabases(PostgresCluster.builder().name("secret").network("db").masterPassword(Secret.of(password))
            .deletionProtection(false).build())
        .addPeerings(Peering.builder().name("app").network("db").peer(PeerNetwork.awsVpc(app)).build())
        .build();
    List<ProvisioningEvent> events = Collections.synchronizedList(new ArrayList<>());
    try (AwsCloud cloud = MotoClouds.cloud(aws)) {
      Plan plan = cloud.plan(stack);
      StackOutputs out = cloud.apply(plan, events::add, ApplyOptions.defaults());
      cloud.destroy(stack, events::add, DestroyOptions.builder().skipFinalSnapshot(true).build());

      String everything = plan.render() + plan.toMermaid() + out + out.render() + stack
          + events.stream().map(ProvisioningEvent::toString).collect(Collectors.joining("\n"));
      assertThat(everything).doesNotContain(password);
      assertThat(out.database("secret").secretReference()).isEmpty();
      assertThat(events).isNotEmpty();
    }
  }

  @Test
  void destroy_whenApplicationVpcIsGone_stillRemovesEverythingOwned() {
    String app = appVpc(ec2, APP_CIDR);
    Stack stack = stack("orphan", PeerNetwork.awsVpc(app));
    try (AwsCloud cloud = MotoClouds.cloud(aws)) {
      cloud.apply(stack, ProvisioningListener.none());
      String table = mainTable(ec2, app).routeTableId();
      ec2.deleteRoute(b -> b.routeTableId(table).destinationCidrBlock("192.168.0.0/16"));
      ec2.deleteVpc(b -> b.vpcId(app));

      cloud.destroy(stack, ProvisioningListener.none(), DestroyOptions.builder().overrideDeletionProtection(true)
          .skipFinalSnapshot(true).build());

      assertThat(owned("orphan")).isEqualTo(none());
    }
  }

  @Test
  void apply_whenPeeringIsRejected_failsSayingWhatToCheckAndTheNextApplyRequestsAnother() {
    String app = appVpc(ec2, APP_CIDR);
    Stack stack = Stack.builder().name("rejected")
        .addNetworks(Network.builder().name("db").cidr("192.168.0.0/16").zones(2).build())
        .addPeerings(Peering.builder().name("app").network("db").peer(PeerNetwork.awsVpc(app)).build())
        .build();
    try (AwsCloud cloud = MotoClouds.cloud(aws, new RejectPeerings(ec2))) {
      assertThatThrownBy(() -> cloud.apply(stack, ProvisioningListener.none()))
          .isInstanceOfSatisfying(ApplyFailedException.class, e -> {
            assertThat(e.failures()).containsOnlyKeys(ResourceKey.parse("aws:vpc-peering/app"));
            assertThat(e.failures().values().iterator().next().getMessage()).contains("\"rejected\"")
                .contains("check who did");
          });
    }
    try (AwsCloud cloud = MotoClouds.cloud(aws)) {
      StackOutputs out = cloud.apply(stack, ProvisioningListener.none());

      assertThat(out.peering("app").state()).isEqualTo("active");
      assertThat(ec2.describeVpcPeeringConnections().vpcPeeringConnections()).filteredOn(p -> p.tags().stream()
          .anyMatch(t -> t.key().equals(Ownership.STACK) && t.value().equals("rejected")))
          .extracting(p -> p.status().codeAsString()).containsExactlyInAnyOrder("rejected", "active");
      assertThat(cloud.plan(stack).hasChanges()).isFalse();
    }
  }
}
