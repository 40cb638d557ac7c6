package dev.cloudpg.examples;

import dev.cloudpg.DestroyOptions;
import dev.cloudpg.Plan;
import dev.cloudpg.ProvisioningListener;
import dev.cloudpg.Stack;
import dev.cloudpg.aws.AuroraOptions;
import dev.cloudpg.aws.AwsCallCounter;
import dev.cloudpg.aws.AwsCloud;
import dev.cloudpg.spi.WaitPolicy;
import dev.cloudpg.testkit.aws.MotoServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Counts the AWS API calls of procedure A's stack (VPC, 2 subnets, subnet group, security group, Aurora cluster with
 * 2 instances, peering with routes both ways and the ingress rule) per apply, per no-change re-apply and per
 * destroy, with an SDK execution interceptor, against a moto_server it starts on loopback (or {@code --endpoint}),
 * and prints them beside the calls procedure A makes by hand.
 */
@Command(name = "aws", sortOptions = false,
    description = {"AWS API calls per apply, re-apply and destroy of the aurora stack, on moto_server.",
        "Counted by an SDK interceptor against moto_server (started on loopback from the PATH, or --endpoint), "
            + "beside the calls procedure A makes by hand."})
final class AwsBench implements Callable<Integer> {
  /**
   * Procedure A by hand, counted from the commands of the source document (002_...): creating takes create-vpc,
   * create-subnet x2, describe-route-tables, associate-route-table x2, create-db-subnet-group, create-security-group,
   * create-db-cluster, create-db-instance x2, wait db-instance-available x2, describe-db-clusters (14); peering takes
   * describe-vpcs, describe-instances, create-vpc-peering-connection, wait vpc-peering-connection-exists,
   * accept-vpc-peering-connection, describe-route-tables, create-route, describe-security-groups,
   * authorize-security-group-ingress (9). Each waiter is counted as one call, its fewest polls.
   */
  static final int MANUAL_APPLY = 23;
  /** Of those, the calls that change something. */
  static final int MANUAL_APPLY_MUTATING = 14;
  /**
   * The document gives no by-hand destroy; procedure A's scripts do it: aurora_delete_peering_connection.sh makes 10
   * calls (describe-instances, describe-vpc-peering-connections, delete-vpc-peering-connection, describe-route-tables,
   * describe-vpcs, delete-route, describe-route-tables, delete-route, describe-security-groups,
   * revoke-security-group-ingress) and aurora_delete.sh 16 (describe-vpcs, describe-db-clusters,
   * delete-db-instance x2, delete-db-cluster, describe-db-clusters, wait db-instance-deleted x2,
   * wait db-cluster-deleted, delete-db-subnet-group, describe-subnets, delete-subnet x2, describe-security-groups,
   * delete-security-group, delete-vpc), waiters counted once.
   */
  static final int SCRIPTED_DESTROY = 26;
  static final int SCRIPTED_DESTROY_MUTATING = 12;
  /**
   * A minor engine upgrade by hand, in the procedure's style (it has none): describe-db-clusters, modify-db-cluster
   * --engine-version --apply-immediately, wait db-cluster-available (3, 1 mutating).
   */
  static final int MANUAL_UPGRADE = 3;
  static final int MANUAL_UPGRADE_MUTATING = 1;
  /**
   * A class change of two instances by hand, keeping a writer: describe-db-clusters (which is the writer),
   * modify-db-instance of the reader, wait db-instance-available, failover-db-cluster to it, describe-db-clusters
   * (the writer moved), modify-db-instance of the old writer, wait db-instance-available (7, 3 mutating).
   */
  static final int MANUAL_CLASS_CHANGE = 7;
  static final int MANUAL_CLASS_CHANGE_MUTATING = 3;
  /**
   * Moving the peering to another application VPC by hand, new before old: describe-vpcs (its CIDR),
   * create-vpc-peering-connection, wait vpc-peering-connection-exists, accept-vpc-peering-connection,
   * describe-route-tables and create-route on each side (4), authorize-security-group-ingress for the new CIDR,
   * revoke-security-group-ingress for the old, describe-route-tables of the old VPC, delete-route on each side (2),
   * delete-vpc-peering-connection (14, 9 mutating).
   */
  static final int MANUAL_PEER_CHANGE = 14;
  static final int MANUAL_PEER_CHANGE_MUTATING = 9;

  @Mixin
  CommonOptions common;

  @Option(names = "--endpoint", paramLabel = "URL", converter = Converters.HttpUrl.class,
      description = "A running AWS emulator to count against, such as http://127.0.0.1:5000.")
  URI endpoint;

  @Option(names = "--region", paramLabel = "R", defaultValue = "eu-west-1",
      description = "The region (default: ${DEFAULT-VALUE}).")
  String region;

  AwsBench() {}

  @Override
  public Integer call() {
    if (endpoint != null) {
      return bench(endpoint, region);
    }
    if (MotoServer.findExecutable().isEmpty()) {
      System.err.println(MotoServer.COMMAND + " is not on the PATH: install it with " + MotoServer.INSTALL_HINT
          + ", or give --endpoint");
      return 1;
    }
    try (MotoServer moto = MotoServer.start()) {
      System.out.println("started " + moto);
      return bench(moto.endpoint(), region);
    }
  }

  private static int bench(URI endpoint, String region) {
    StaticCredentialsProvider credentials =
        StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    String appVpc;
    String otherAppVpc;
    try (Ec2Client ec2 = Ec2Client.builder().region(Region.of(region)).endpointOverride(endpoint)
        .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build()) {
      appVpc = ec2.createVpc(b -> b.cidrBlock("10.0.0.0/16")).vpc().vpcId();
      otherAppVpc = ec2.createVpc(b -> b.cidrBlock("10.1.0.0/16")).vpc().vpcId();
    }
    Stack stack = day2("bench-aurora", appVpc, "17.5", "db.r8g.large");
    AwsCallCounter calls = new AwsCallCounter();
    try (AwsCloud cloud = AwsCloud.builder().region(region).endpointOverride(endpoint).credentialsProvider(credentials)
        .waitPolicy(WaitPolicy.of(Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofMinutes(5)))
        .addInterceptor(calls).build()) {
      System.out.println("stack: procedure A (" + cloud.plan(stack).changes().size() + " resources) against "
          + endpoint + ", application VPC " + appVpc + "\n");
      calls.reset();
      cloud.apply(stack, ProvisioningListener.none());
      Map<String, Integer> applyCalls = calls.snapshot();
      int apply = calls.total();
      int applyMutating = calls.mutating();

      calls.reset();
      Plan again = cloud.plan(stack);
      cloud.apply(again, ProvisioningListener.none());
      int reapply = calls.total();
      int reapplyMutating = calls.mutating();
      if (again.hasChanges()) {
        System.out.println("warning: the re-apply planned changes:\n" + again.render());
      }

      int[] upgrade = count(cloud, calls, day2("bench-aurora", appVpc, "17.9", "db.r8g.large"));
      int[] classChange = count(cloud, calls, day2("bench-aurora", appVpc, "17.9", "db.r8g.xlarge"));
      stack = day2("bench-aurora", otherAppVpc, "17.9", "db.r8g.xlarge");
      int[] peerChange = count(cloud, calls, stack);

      calls.reset();
      cloud.destroy(stack, ProvisioningListener.none(), DestroyOptions.builder().overrideDeletionProtection(true)
          .skipFinalSnapshot(true).build());
      Map<String, Integer> destroyCalls = calls.snapshot();
      int destroy = calls.total();
      int destroyMutating = calls.mutating();

      System.out.printf("%-20s %22s %30s%n", "", "cloudpg API calls", "procedure A, by hand");
      System.out.printf("%-20s %22s %30s%n", "", "(of which mutating)", "(of which mutating)");
      System.out.printf("%-20s %14d (%5d) %22d (%5d)%n", "apply", apply, applyMutating, MANUAL_APPLY,
          MANUAL_APPLY_MUTATING);
      System.out.printf("%-20s %14d (%5d) %30s%n", "no-change re-apply", reapply, reapplyMutating,
          "no such step (*)");
      System.out.printf("%-20s %14d (%5d) %22d (%5d) (***)%n", "minor upgrade", upgrade[0], upgrade[1],
          MANUAL_UPGRADE, MANUAL_UPGRADE_MUTATING);
      System.out.printf("%-20s %14d (%5d) %22d (%5d) (***)%n", "class, 2 instances", classChange[0], classChange[1],
          MANUAL_CLASS_CHANGE, MANUAL_CLASS_CHANGE_MUTATING);
      System.out.printf("%-20s %14d (%5d) %22d (%5d) (***)%n", "peer moved", peerChange[0], peerChange[1],
          MANUAL_PEER_CHANGE, MANUAL_PEER_CHANGE_MUTATING);
      System.out.printf("%-20s %14d (%5d) %22d (%5d) (**)%n", "destroy", destroy, destroyMutating,
          SCRIPTED_DESTROY, SCRIPTED_DESTROY_MUTATING);
      System.out.println("\n(*)  by hand nothing checks what exists; re-running procedure A's peering script makes a "
          + "second peering");
      System.out.println("(**) the procedure documents no destroy; the figure is procedure A's two delete scripts");
      System.out.println("(***) the procedure documents no such change; the figure counts the AWS CLI commands of "
          + "doing it by hand in its style (see AwsBench's constants), each waiter as one poll; cloudpg's includes "
          + "its plan (the reads of every resource)");
      System.out.println("counting: cloudpg calls by an SDK execution interceptor, one per API call (SDK retries "
          + "not counted), waits included (moto answers at once, so each wait polls once or twice); procedure A "
          + "counted command by command from its document, each waiter as one poll");
      System.out.println("\napply, by operation:   " + applyCalls);
      System.out.println("destroy, by operation: " + destroyCalls);
    }
    return 0;
  }

  /** The aurora stack with an engine version and an instance class, peered with {@code appVpc}. */
  private static Stack day2(String name, String appVpc, String version, String instanceClass) {
    return AuroraExample.stack(name, "192.168.0.0/16", List.of(appVpc), null, 2,
        AuroraOptions.builder().engineVersion(version).instanceClass(instanceClass).build());
  }

  /** The calls, and the mutating ones, of applying {@code stack}, its plan included. */
  private static int[] count(AwsCloud cloud, AwsCallCounter calls, Stack stack) {
    calls.reset();
    cloud.apply(stack, ProvisioningListener.none());
    return new int[] {calls.total(), calls.mutating()};
  }
}
