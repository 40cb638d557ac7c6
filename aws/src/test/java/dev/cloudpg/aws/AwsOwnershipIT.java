package dev.cloudpg.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cloudpg.ApplyOptions;
import dev.cloudpg.ChangeAction;
import dev.cloudpg.ConflictException;
import dev.cloudpg.DeletionProtectedException;
import dev.cloudpg.DestroyIncompleteException;
import dev.cloudpg.DestroyOptions;
import dev.cloudpg.Network;
import dev.cloudpg.PeerNetwork;
import dev.cloudpg.Peering;
import dev.cloudpg.Plan;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ProvisioningEvent;
import dev.cloudpg.ProvisioningEvent.Type;
import dev.cloudpg.ProvisioningListener;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.StackOutputs;
import dev.cloudpg.spi.Ownership;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.VpcPeeringConnection;
import software.amazon.awssdk.services.rds.model.DBClusterMember;
import software.amazon.awssdk.services.rds.model.DBInstance;

/**
 * What a stack owns beyond its spec, against moto through the real SDK: removals planned and applied in reverse
 * order, duplicates resolved or refused, protected databases kept, and a destroy that checks it left nothing.
 */
class AwsOwnershipIT extends WithMotoClients {
  private static final DestroyOptions ALL = DestroyOptions.builder().overrideDeletionProtection(true)
      .skipFinalSnapshot(true).build();

  private String appVpc(String cidr) {
    return ec2.createVpc(b -> b.cidrBlock(cidr)).vpc().vpcId();
  }

  /** One network with a database of {@code instances} instances, peered with each application VPC. */
  private static Stack stack(String name, int instances, boolean protect, String... appVpcs) {
    Stack.Builder b = Stack.builder().name(name)
        .addNetworks(Network.builder().name("db").cidr("192.168.0.0/16").zones(2).build())
        .addDatabases(PostgresCluster.builder().name(name).network("db").instances(instances)
            .deletionProtection(protect).build());
    for (int i = 0; i < appVpcs.length; i++) {
      b.addPeerings(Peering.builder().name(i == 0 ? "app" : "app-" + (i + 1)).network("db")
          .peer(PeerNetwork.awsVpc(appVpcs[i])).build());
    }
    return b.build();
  }

  private static RouteTable mainTable(Ec2Client client, String vpcId) {
    return client.describeRouteTables(b -> b.filters(Filter.builder().name("vpc-id").values(vpcId).build()))
        .routeTables().stream().filter(t -> t.associations().stream().anyMatch(a -> Boolean.TRUE.equals(a.main())))
        .findFirst().orElseThrow();
  }

  private boolean routesThrough(String vpcId, String peeringId) {
    return mainTable(ec2, vpcId).routes().stream().anyMatch(r -> peeringId.equals(r.vpcPeeringConnectionId()));
  }

  private List<String> admitted(String groupId) {
    return ec2.describeSecurityGroups(b -> b.groupIds(groupId)).securityGroups().get(0).ipPermissions().stream()
        .flatMap(p -> p.ipRanges().stream()).map(r -> r.cidrIp()).toList();
  }

  private String status(String peeringId) {
    return ec2.describeVpcPeeringConnections(b -> b.vpcPeeringConnectionIds(peeringId)).vpcPeeringConnections()
        .get(0).status().codeAsString();
  }

  private List<String> instances(String cluster) {
    return rds.describeDBInstances().dbInstances().stream().filter(i -> cluster.equals(i.dbClusterIdentifier()))
        .map(DBInstance::dbInstanceIdentifier).sorted().toList();
  }

  private static List<ResourceKey> deletions(Plan plan) {
    return plan.changes().stream().filter(c -> c.action() == ChangeAction.DELETE).map(c -> c.resource()).toList();
  }

  @Test
  void apply_whenOnePeeringOfTwoIsRemoved_deletesItsRoutesBothSidesAndItsRuleAndLeavesTheOther() {
    String a = appVpc("10.11.0.0/16");
    String b = appVpc("10.12.0.0/16");
    try (AwsCloud cloud = MotoClouds.cloud(aws)) {
      StackOutputs two = cloud.apply(stack("twopeers", 1, true, a, b), ProvisioningListener.none());
      String kept = two.peering("app").id();
      String removed = two.peering("app-2").id();
      String vpc = two.network("db").id();
      String group = two.network("db").attributes().get("securityGroupId");
      assertThat(admitted(group)).containsExactlyInAnyOrder("10.11.0.0/16", "10.12.0.0/16");

      Stack one = stack("twopeers", 1, true, a);
      Plan plan = cloud.plan(one);
      assertThat(deletions(plan)).as(plan.render()).containsExactlyInAnyOrder(
          ResourceKey.parse("aws:vpc-peering/app-2"), ResourceKey.parse("aws:route/app-2-to-peer"),
          ResourceKey.parse("aws:route/app-2-from-peer"), ResourceKey.parse("aws:ingress/app-2"));
      assertThat(plan.render()).contains("no longer in the spec");
      cloud.apply(plan, ProvisioningListener.none());

      assertThat(status(removed)).isEqualTo("deleted");
      assertThat(routesThrough(vpc, removed)).isFalse();
      assertThat(routesThrough(b, removed)).isFalse();
      assertThat(admitted(group)).containsExactly("10.11.0.0/16");
      assertThat(status(kept)).isEqualTo("active");
      assertThat(routesThrough(vpc, kept)).isTrue();
      assertThat(routesThrough(a, kept)).isTrue();
      assertThat(cloud.plan(one).hasChanges()).isFalse();
    }
  }

  @Test
  void apply_whenInstancesGoFromThreeToOne_deletesTheHighestNumberedFirst() {
    String app = appVpc("10.13.0.0/16");
    List<ProvisioningEvent> events = Collections.synchronizedList(new ArrayList<>());
    try (AwsCloud cloud = MotoClouds.cloud(aws)) {
      cloud.apply(stack("scalein", 3, true, app), ProvisioningListener.none());
      assertThat(instances("scalein")).hasSize(3);

      cloud.apply(stack("scalein", 1, true, app), events::add, ApplyOptions.defaults());

      assertThat(instances("scalein")).containsExactly("scalein-instance-1");
      assertThat(events).filteredOn(e -> e.type() == Type.COMPLETED && e.action().orElse(null) == ChangeAction.DELETE)
          .extracting(e -> e.resource().orElseThrow().toString()).containsExactly("aws:aurora-instance/scalein-3",
              "aws:aurora-instance/scalein-2");
      assertThat(cloud.plan(stack("scalein", 1, true, app)).hasChanges()).isFalse();
    }
  }

  @Test
  void apply_whenTheRemovedInstanceIsTheWriter_failsOverToTheFirstBeforeDeletingIt() {
    String app = appVpc("10.14.0.0/16");
    List<ProvisioningEvent> events = Collections.synchronizedList(new ArrayList<>());
    try (AwsCloud cloud = MotoClouds.cloud(aws)) {
      cloud.apply(stack("failover", 2, true, app), ProvisioningListener.none());
      rds.failoverDBCluster(b -> b.dbClusterIdentifier("failover").targetDBInstanceIdentifier("failover-instance-2"));

      cloud.apply(stack("failover", 1, true, app), events::add, ApplyOptions.defaults());

      assertThat(instances("failover")).containsExactly("failover-instance-1");
      assertThat(rds.describeDBClusters(b -> b.dbClusterIdentifier("failover")).dbClusters().get(0)
          .dbClusterMembers()).filteredOn(DBClusterMember::isClusterWriter)
          .extracting(DBClusterMember::dbInstanceIdentifier).containsExactly("failover-instance-1");
      assertThat(events).anyMatch(e -> e.type() == Type.NOTE && e.message().contains("is the writer: failing over"));
    }
  }

  @Test
  void plan_whenAProtectedDatabaseLeavesTheSpec_refusesAndNothingChanges() {
    String app = appVpc("10.15.0.0/16");
    Stack withDb = stack("keepdb", 1, true, app);
    Stack withoutDb = Stack.builder().name("keepdb").addAllNetworks(withDb.networks())
        .addAllPeerings(withDb.peerings()).build();
    AwsCallCounter calls = new AwsCallCounter();
    try (AwsCloud cloud = MotoClouds.cloud(aws, calls)) {
      cloud.apply(withDb, ProvisioningListener.none());
      calls.reset();

      assertThatThrownBy(() -> cloud.apply(withoutDb, ProvisioningListener.none()))
          .isInstanceOfSatisfying(DeletionProtectedException.class, e -> {
            assertThat(e.protectedResources()).contains(ResourceKey.parse("aws:aurora-cluster/keepdb"));
            assertThat(e.getMessage()).contains("prune(false)").contains("deletionProtection(false)");
          });

      assertThat(calls.snapshot().keySet()).filteredOn(AwsCallCounter::isMutating)
          .allMatch(op -> op.startsWith("DynamoDb."));
      assertThat(instances("keepdb")).hasSize(1);
      assertThat(rds.describeDBClusters(b -> b.dbClusterIdentifier("keepdb")).dbClusters()).hasSize(1);
    }
  }

  @Test
  void apply_whenPruneIsOff_keepsWhatTheSpecNoLongerNamesAndSaysSo() {
    String a = appVpc("10.16.0.0/16");
    String b = appVpc("10.17.0.0/16");
    ApplyOptions keep = ApplyOptions.builder().prune(false).build();
    try (AwsCloud cloud = MotoClouds.cloud(aws)) {
      StackOutputs two = cloud.apply(stack("nopruning", 2, true, a, b), ProvisioningListener.none());

      Stack smaller = stack("nopruning", 1, true, a);
      Plan plan = cloud.plan(smaller, ProvisioningListener.none(), keep);
      assertThat(plan.hasChanges()).as(plan.render()).isFalse();
      assertThat(plan.render()).contains("kept").contains("aws:vpc-peering/app-2")
          .contains("aws:aurora-instance/nopruning-2");
      cloud.apply(smaller, ProvisioningListener.none(), keep);

      assertThat(instances("nopruning")).hasSize(2);
      assertThat(status(two.peering("app-2").id())).isEqualTo("active");
    }
  }

  @Test
  void apply_whenAnUnusedDuplicateVpcCarriesTheStacksTags_deletesItAndKeepsTheOneInUse() {
    Stack stack = Stack.builder().name("twin")
        .addNetworks(Network.builder().name("db").cidr("172.22.0.0/16").zones(2).build()).build();
    try (AwsCloud cloud = MotoClouds.cloud(aws)) {
      StackOutputs out = cloud.apply(stack, ProvisioningListener.none());
      String twin = ec2.createVpc(b -> b.cidrBlock("172.23.0.0/16").tagSpecifications(stackTags(ResourceType.VPC,
          "twin", "aws:vpc/db", "twin-db"))).vpc().vpcId();

      Plan plan = cloud.plan(stack);
      assertThat(plan.changes()).filteredOn(c -> c.action() == ChangeAction.DELETE).singleElement()
          .satisfies(c -> {
            assertThat(c.resource().toString()).isEqualTo("aws:vpc/db#" + twin);
            assertThat(c.reason()).contains("duplicate of aws:vpc/db").contains(out.network("db").id());
          });
      cloud.apply(plan, ProvisioningListener.none());

      assertThat(ec2.describeVpcs(b -> b.filters(Filter.builder().name("tag:" + Ownership.STACK).values("twin")
          .build())).vpcs()).extracting(v -> v.vpcId()).containsExactly(out.network("db").id());
      assertThat(cloud.plan(stack).hasChanges()).isFalse();
    }
  }

  @Test
  void plan_whenTwoDuplicateVpcsAreBothInUse_refusesNamingBoth() {
    Stack stack = Stack.builder().name("twins")
        .addNetworks(Network.builder().name("db").cidr("172.24.0.0/16").zones(1).build()).build();
    try (AwsCloud cloud = MotoClouds.cloud(aws)) {
      StackOutputs out = cloud.apply(stack, ProvisioningListener.none());
      String twin = ec2.createVpc(b -> b.cidrBlock("172.25.0.0/16").tagSpecifications(stackTags(ResourceType.VPC,
          "twins", "aws:vpc/db", "twins-db"))).vpc().vpcId();
      ec2.createSubnet(b -> b.vpcId(twin).cidrBlock("172.25.0.0/24").tagSpecifications(stackTags(
          ResourceType.SUBNET, "twins", "aws:subnet/db-b", "twins-db-b")));

      assertThatThrownBy(() -> cloud.plan(stack)).isInstanceOf(ConflictException.class)
          .hasMessageContaining("aws:vpc/db").hasMessageContaining(out.network("db").id())
          .hasMessageContaining(twin).hasMessageContaining("nothing was changed");
    }
  }

  private static TagSpecification stackTags(ResourceType type, String stack, String key, String name) {
    return TagSpecification.builder().resourceType(type).tags(Tag.builder().key(Ownership.STACK).value(stack).build(),
        Tag.builder().key(Ownership.KEY).value(key).build(), Tag.builder().key("Name").value(name).build()).build();
  }

  /** Makes a VPC tagged with the stack, as another program would, when the destroy deletes the stack's VPC. */
  private static final class VpcMadeDuringDestroy implements ExecutionInterceptor {
    private final Ec2Client ec2;
    private final String stack;
    private final String vpcCidr;
    private final AtomicBoolean done = new AtomicBoolean();
    private volatile String made;

    VpcMadeDuringDestroy(Ec2Client ec2, String stack, String vpcCidr) {
      this.ec2 = ec2;
      this.stack = stack;
      this.vpcCidr = vpcCidr;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      if ("DeleteVpc".equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))
          && done.compareAndSet(false, true)) {
        made = ec2.createVpc(b -> b.cidrBlock(vpcCidr).tagSpecifications(stackTags(ResourceType.VPC, stack,
            "aws:vpc/late", stack + "-late"))).vpc().vpcId();
      }
    }
  }

  @Test
  void destroy_whenSomethingOfTheStackIsLeftAtTheEnd_failsListingIt() {
    Stack stack = Stack.builder().name("leftover")
        .addNetworks(Network.builder().name("db").cidr("172.26.0.0/16").zones(1).build()).build();
    VpcMadeDuringDestroy late = new VpcMadeDuringDestroy(ec2, "leftover", "172.27.0.0/16");
    try (AwsCloud cloud = MotoClouds.cloud(aws, late)) {
      cloud.apply(stack, ProvisioningListener.none());

      assertThatThrownBy(() -> cloud.destroy(stack, ProvisioningListener.none(), ALL))
          .isInstanceOfSatisfying(DestroyIncompleteException.class, e -> assertThat(e.left()).singleElement()
              .satisfies(left -> assertThat(left).contains("aws:vpc/late").contains(late.made)));

      // destroying again removes it: it is the stack's now
      assertThat(cloud.destroy(stack, ProvisioningListener.none(), ALL).succeeded()).isTrue();
      assertThat(ec2.describeVpcs(b -> b.filters(Filter.builder().name("tag:" + Ownership.STACK)
          .values("leftover").build())).vpcs()).isEmpty();
    }
  }

  @Test
  void destroy_whenAFinalSnapshotIsKept_itCarriesTheStacksTagsYetIsNotDiscoveredOrDeletedLater() {
    String app = appVpc("10.18.0.0/16");
    Stack stack = stack("snapped", 1, false, app);
    try (AwsCloud cloud = MotoClouds.cloud(aws)) {
      cloud.apply(stack, ProvisioningListener.none());

      assertThat(cloud.destroy(stack, ProvisioningListener.none(), DestroyOptions.defaults()).succeeded()).isTrue();

      assertThat(rds.describeDBClusterSnapshots().dbClusterSnapshots())
          .filteredOn(s -> s.dbClusterSnapshotIdentifier().startsWith("snapped-final-")).singleElement()
          .satisfies(s -> assertThat(s.tagList()).anyMatch(t -> t.key().equals(Ownership.STACK)
              && t.value().equals("snapped")));
      assertThat(cloud.stacks()).noneMatch(s -> s.name().equals("snapped"));
      assertThat(cloud.plan(stack).changes()).allMatch(c -> c.action() == ChangeAction.CREATE);
    }
  }

  @Test
  void destroy_whenTheSpecNoLongerNamesAPeeringAndAnInstance_removesThemToo() {
    String a = appVpc("10.19.0.0/16");
    String b = appVpc("10.20.0.0/16");
    try (AwsCloud cloud = MotoClouds.cloud(aws)) {
      StackOutputs out = cloud.apply(stack("wholestack", 2, true, a, b), ProvisioningListener.none());
      String second = out.peering("app-2").id();

      // the spec handed to destroy no longer names the second peering nor the second instance
      assertThat(cloud.destroy(stack("wholestack", 1, true, a), ProvisioningListener.none(), ALL).succeeded())
          .isTrue();

      assertThat(instances("wholestack")).isEmpty();
      assertThat(status(second)).isEqualTo("deleted");
      assertThat(routesThrough(b, second)).isFalse();
      List<VpcPeeringConnection> left = ec2.describeVpcPeeringConnections().vpcPeeringConnections().stream()
          .filter(p -> p.tags().stream().anyMatch(t -> t.value().equals("wholestack")))
          .filter(p -> !p.status().codeAsString().equals("deleted")).toList();
      assertThat(left).isEmpty();
    }
  }
}
