package dev.cloudpg.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudpg.DestroyOptions;
import dev.cloudpg.Network;
import dev.cloudpg.Plan;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ProvisioningListener;
import dev.cloudpg.Stack;
import dev.cloudpg.testkit.aws.AwsEndpoint;
import dev.cloudpg.testkit.aws.WithAwsEndpoint;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBClusterMember;
import software.amazon.awssdk.services.rds.model.FailoverDbClusterRequest;
import software.amazon.awssdk.services.rds.model.Filter;
import software.amazon.awssdk.services.rds.model.ModifyDbInstanceRequest;

/** Instance class changes and instance counts of an Aurora cluster, against moto. */
@WithAwsEndpoint
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AwsInstancesIT {
  private AwsEndpoint aws;
  private RdsClient rds;

  @BeforeAll
  void clients(AwsEndpoint endpoint) {
    this.aws = endpoint;
    this.rds = MotoClouds.rds(endpoint);
  }

  @AfterAll
  void close() {
    rds.close();
  }

  private static Stack stack(String name, int instances, String instanceClass) {
    return Stack.builder().name(name)
        .addNetworks(Network.builder().name("db").cidr("192.168.0.0/16").zones(2).build())
        .addDatabases(PostgresCluster.builder().name(name).network("db").instances(instances)
            .databaseName("keycloak").deletionProtection(false)
            .addOptions(AuroraOptions.builder().instanceClass(instanceClass).build()).build())
        .build();
  }

  private Optional<String> writer(String cluster) {
    return rds.describeDBClusters(b -> b.dbClusterIdentifier(cluster)).dbClusters().get(0).dbClusterMembers()
        .stream().filter(m -> Boolean.TRUE.equals(m.isClusterWriter())).map(DBClusterMember::dbInstanceIdentifier)
        .findFirst();
  }

  private List<String> classes(String cluster) {
    return rds.describeDBInstances(b -> b.filters(Filter.builder().name("db-cluster-id").values(cluster).build()))
        .dbInstances()
        .stream().map(i -> i.dbInstanceIdentifier() + " " + i.dbInstanceClass()).sorted().toList();
  }

  /** Records each instance modification and failover, with the writer of the moment, as it is sent. */
  private final class Steps implements ExecutionInterceptor {
    final List<String> steps = new CopyOnWriteArrayList<>();
    final String cluster;

    Steps(String cluster) {
      this.cluster = cluster;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      if (context.request() instanceof ModifyDbInstanceRequest) {
        steps.add("modify " + ((ModifyDbInstanceRequest) context.request()).dbInstanceIdentifier() + " (writer "
            + writer(cluster).orElse("none") + ")");
      } else if (context.request() instanceof FailoverDbClusterRequest) {
        steps.add("failover to " + ((FailoverDbClusterRequest) context.request()).targetDBInstanceIdentifier()
            + " (writer " + writer(cluster).orElse("none") + ")");
      }
    }
  }

  @Test
  void apply_whenTheInstanceClassChanges_modifiesReadersOneAtATimeThenFailsOverThenTheOldWriter() {
    Steps steps = new Steps("rolling");
    try (AwsCloud cloud = MotoClouds.cloud(aws, steps)) {
      cloud.apply(stack("rolling", 3, "db.r7g.large"));
      // the first instance moto made available is the writer, whatever the promotion tiers say
      String w = writer("rolling").orElseThrow();
      List<String> readers = java.util.stream.IntStream.rangeClosed(1, 3).mapToObj(n -> "rolling-instance-" + n)
          .filter(i -> !i.equals(w)).toList();
      String wKey = "aws:aurora-instance/rolling-" + w.substring(w.lastIndexOf('-') + 1);
      String r1Key = "aws:aurora-instance/rolling-" + readers.get(0).substring(readers.get(0).lastIndexOf('-') + 1);

      Plan plan = cloud.plan(stack("rolling", 3, "db.r8g.large"));
      assertThat(plan.render().lines().filter(l -> l.contains(wKey))).singleElement().asString()
          .startsWith("  ~ ").endsWith("instanceClass: db.r7g.large -> db.r8g.large (the writer, last: after the 2 "
              + "readers, a failover to an upgraded reader, then this one)");
      assertThat(plan.render().lines().filter(l -> l.contains(r1Key))).singleElement().asString()
          .endsWith("instanceClass: db.r7g.large -> db.r8g.large (reader 1 of 2, one at a time, then failover)");
      assertThat(plan.render()).contains("(reader 2 of 2, one at a time, then failover)");
      cloud.apply(plan);

      assertThat(steps.steps).containsExactly(
          "modify " + readers.get(0) + " (writer " + w + ")",
          "modify " + readers.get(1) + " (writer " + w + ")",
          "failover to " + readers.get(0) + " (writer " + w + ")",
          "modify " + w + " (writer " + readers.get(0) + ")");
      assertThat(classes("rolling")).containsExactly("rolling-instance-1 db.r8g.large",
          "rolling-instance-2 db.r8g.large", "rolling-instance-3 db.r8g.large");
      assertThat(writer("rolling")).contains(readers.get(0));
      assertThat(cloud.plan(stack("rolling", 3, "db.r8g.large")).hasChanges()).isFalse();
      cloud.destroy(stack("rolling", 3, "db.r8g.large"), ProvisioningListener.none(),
          DestroyOptions.builder().skipFinalSnapshot(true).build());
    }
  }

  @Test
  void apply_whenInstancesGoTwoThreeTwo_keepsTheWriterAndRemovesOnlyTheAddedReader() {
    try (AwsCloud cloud = MotoClouds.cloud(aws)) {
      cloud.apply(stack("count", 2, "db.r8g.large"));
      String writer = writer("count").orElseThrow();
      cloud.apply(stack("count", 3, "db.r8g.large"));
      assertThat(classes("count")).hasSize(3);
      assertThat(writer("count")).contains(writer);
      cloud.apply(stack("count", 2, "db.r8g.large"));
      assertThat(classes("count")).containsExactly("count-instance-1 db.r8g.large", "count-instance-2 db.r8g.large");
      assertThat(writer("count")).contains(writer);
      cloud.destroy(stack("count", 2, "db.r8g.large"), ProvisioningListener.none(),
          DestroyOptions.builder().skipFinalSnapshot(true).build());
    }
  }

  @Test
  void apply_whenCreating_createsTheInstancesWhileTheClusterIsStillCreatingAndWaitsForBoth() {
    List<String> calls = new CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicInteger creatingLeft = new java.util.concurrent.atomic.AtomicInteger();
    // moto makes a cluster available at once; AWS takes minutes: the first describes say "creating", as AWS's do
    ExecutionInterceptor slowCluster = new ExecutionInterceptor() {
      @Override
      public software.amazon.awssdk.core.SdkResponse modifyResponse(Context.ModifyResponse context,
          ExecutionAttributes attributes) {
        String op = attributes.getAttribute(software.amazon.awssdk.core.interceptor.SdkExecutionAttribute
            .OPERATION_NAME);
        if (op.equals("CreateDBCluster")) {
          creatingLeft.set(4);
        }
        if (context.response() instanceof software.amazon.awssdk.services.rds.model.DescribeDbClustersResponse) {
          var r = (software.amazon.awssdk.services.rds.model.DescribeDbClustersResponse) context.response();
          if (creatingLeft.getAndDecrement() > 0) {
            r = r.toBuilder().dbClusters(r.dbClusters().stream().map(c -> c.toBuilder().status("creating").build())
                .toList()).build();
          }
          calls.add(op + " " + r.dbClusters().stream().map(c -> c.status()).toList());
          return r;
        }
        if (op.startsWith("Create")) {
          calls.add(op);
        }
        return context.response();
      }
    };
    try (AwsCloud cloud = MotoClouds.cloud(aws, slowCluster)) {
      cloud.apply(stack("quick", 2, "db.r8g.large"));
      List<String> sinceCluster = calls.subList(calls.indexOf("CreateDBCluster"), calls.size());
      assertThat(sinceCluster.subList(0, 4)).containsExactly("CreateDBCluster", "DescribeDBClusters [creating]",
          "CreateDBInstance", "CreateDBInstance");
      assertThat(sinceCluster.get(sinceCluster.size() - 1)).isEqualTo("DescribeDBClusters [available]");
      assertThat(classes("quick")).hasSize(2);
      cloud.destroy(stack("quick", 2, "db.r8g.large"), ProvisioningListener.none(),
          DestroyOptions.builder().skipFinalSnapshot(true).build());
    }
  }

  @Test
  void plan_whenTheVersionIsAMajorAndTheSizeSmall_notesTheFallbackAndTheBurstableClass() {
    Stack stack = Stack.builder().name("defaults")
        .addNetworks(Network.builder().name("db").cidr("192.168.0.0/16").zones(2).build())
        .addDatabases(PostgresCluster.builder().name("defaults").network("db").version("17").instances(1)
            .size(dev.cloudpg.InstanceSize.SMALL).databaseName("keycloak").deletionProtection(false).build())
        .build();
    List<dev.cloudpg.ProvisioningEvent> events = new CopyOnWriteArrayList<>();
    try (AwsCloud cloud = MotoClouds.cloud(aws)) {
      Plan plan = cloud.plan(stack);
      // moto does not answer DescribeDBEngineVersions
      assertThat(plan.notes()).containsExactly(
          "databases[defaults]: a new cluster gets Aurora PostgreSQL 17 with the minor RDS chooses: the region's "
              + "default could not be read (DescribeDBEngineVersions gave no answer)",
          "databases[defaults]: db.t4g.medium is a burstable class, which AWS recommends for development and tests "
              + "only; size MEDIUM or larger uses db.r8g");
      cloud.apply(plan, events::add, dev.cloudpg.ApplyOptions.defaults());
      assertThat(events).extracting(dev.cloudpg.ProvisioningEvent::message).contains("the region's default minor of "
          + "Aurora PostgreSQL 17 could not be read (DescribeDBEngineVersions gave no answer); sent 17 for RDS to "
          + "choose");
      assertThat(classes("defaults")).containsExactly("defaults-instance-1 db.t4g.medium");
      assertThat(cloud.plan(stack).hasChanges()).isFalse();
      cloud.destroy(stack, ProvisioningListener.none(), DestroyOptions.builder().skipFinalSnapshot(true).build());
    }
  }

  private static Stack versioned(String name, AuroraOptions options) {
    return Stack.builder().name(name)
        .addNetworks(Network.builder().name("db").cidr("192.168.0.0/16").zones(2).build())
        .addDatabases(PostgresCluster.builder().name(name).network("db").instances(1).databaseName("keycloak")
            .deletionProtection(false).addOptions(options).build())
        .build();
  }

  @Test
  void apply_whenAMajorUpgradeIsAllowed_upgradesWithTheNewFamilysParameterGroupAndOnlyThen() {
    try (AwsCloud cloud = MotoClouds.cloud(aws)) {
      cloud.apply(versioned("major", AuroraOptions.builder().engineVersion("16.4").build()));
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> cloud.plan(versioned("major",
          AuroraOptions.builder().engineVersion("17.5").build()))).isInstanceOf(dev.cloudpg.ConflictException.class)
          .hasMessageContaining("AuroraOptions.allowMajorVersionUpgrade(true)");

      Stack allowed = versioned("major", AuroraOptions.builder().engineVersion("17.5").allowMajorVersionUpgrade(true)
          .build());
      Plan plan = cloud.plan(allowed);
      assertThat(plan.render()).contains("engineVersion: 16.4 -> 17.5 (a major version upgrade, with the cluster "
          + "parameter group default.aurora-postgresql17)");
      cloud.apply(plan);
      var cluster = rds.describeDBClusters(b -> b.dbClusterIdentifier("major")).dbClusters().get(0);
      assertThat(cluster.engineVersion()).isEqualTo("17.5");
      assertThat(cluster.dbClusterParameterGroup()).isEqualTo("default.aurora-postgresql17");
      assertThat(cloud.plan(allowed).hasChanges()).isFalse();
      cloud.destroy(allowed, ProvisioningListener.none(), DestroyOptions.builder().skipFinalSnapshot(true).build());
    }
  }

  @Test
  void apply_whenChangesWaitForTheMaintenanceWindow_sendsThemDeferredAndThePlanSaysSo() {
    List<String> sent = new CopyOnWriteArrayList<>();
    ExecutionInterceptor recorder = new ExecutionInterceptor() {
      @Override
      public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (context.request() instanceof software.amazon.awssdk.services.rds.model.ModifyDbClusterRequest) {
          var r = (software.amazon.awssdk.services.rds.model.ModifyDbClusterRequest) context.request();
          sent.add("ModifyDBCluster " + r.engineVersion() + " applyImmediately=" + r.applyImmediately());
        } else if (context.request() instanceof ModifyDbInstanceRequest) {
          var r = (ModifyDbInstanceRequest) context.request();
          sent.add("ModifyDBInstance " + r.dbInstanceClass() + " applyImmediately=" + r.applyImmediately());
        }
      }
    };
    try (AwsCloud cloud = MotoClouds.cloud(aws, recorder)) {
      cloud.apply(versioned("window", AuroraOptions.builder().engineVersion("17.5").instanceClass("db.r7g.large")
          .applyDuringMaintenanceWindow(true).build()));
      Stack later = versioned("window", AuroraOptions.builder().engineVersion("17.9").instanceClass("db.r8g.large")
          .applyDuringMaintenanceWindow(true).build());
      Plan plan = cloud.plan(later);
      assertThat(plan.render()).contains("engineVersion: 17.5 -> 17.9 (in place, deferred to the maintenance window "
          + "(AuroraOptions.applyDuringMaintenanceWindow))")
          .contains("instanceClass: db.r7g.large -> db.r8g.large (deferred to the maintenance window");
      cloud.apply(plan);
      assertThat(sent).containsExactlyInAnyOrder("ModifyDBCluster 17.9 applyImmediately=false",
          "ModifyDBInstance db.r8g.large applyImmediately=false");
      cloud.destroy(later, ProvisioningListener.none(), DestroyOptions.builder().skipFinalSnapshot(true).build());
    }
  }
}
