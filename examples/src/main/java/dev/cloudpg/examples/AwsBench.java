package dev.cloudpg.examples;

import dev.cloudpg.DestroyOptions;
import dev.cloudpg.Plan;
import dev.cloudpg.ProvisioningListener;
import dev.cloudpg.Stack;
import dev.cloudpg.aws.AwsCallCounter;
import dev.cloudpg.aws.AwsCloud;
import dev.cloudpg.spi.WaitPolicy;
import dev.cloudpg.testkit.aws.MotoServer;
import java.net.URI;
import java.time.Duration;
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
   * The document gives no by-hand destroy; the seed's scripts do it: aurora_delete_peering_connection.sh makes 10
   * calls (describe-instances, describe-vpc-peering-connections, delete-vpc-peering-connection, describe-route-tables,
   * describe-vpcs, delete-route, describe-route-tables, delete-route, describe-security-groups,
   * revoke-security-group-ingress) and aurora_delete.sh 16 (describe-vpcs, describe-db-clusters,
   * delete-db-instance x2, delete-db-cluster, describe-db-clusters, wait db-instance-deleted x2,
   * wait db-cluster-deleted, delete-db-subnet-group, describe-subnets, delete-subnet x2, describe-security-groups,
   * delete-security-group, delete-vpc), waiters counted once.
   */
  static final int SCRIPTED_DESTROY = 26;
  static final int SCRIPTED_DESTROY_MUTATING = 12;

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
    try (Ec2Client ec2 = Ec2Client.builder().region(Region.of(region)).endpointOverride(endpoint)
        .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build()) {
      appVpc = ec2.createVpc(b -> b.cidrBlock("10.0.0.0/16")).vpc().vpcId();
    }
    Stack stack = AuroraExample.stack("bench-aurora", "192.168.0.0/16", appVpc, null);
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
      System.out.printf("%-20s %14d (%5d) %22d (%5d) (**)%n", "destroy", destroy, destroyMutating,
          SCRIPTED_DESTROY, SCRIPTED_DESTROY_MUTATING);
      System.out.println("\n(*)  by hand nothing checks what exists; re-running the seed's peering script makes a "
          + "second peering");
      System.out.println("(**) the procedure documents no destroy; the figure is the seed's two delete scripts");
      System.out.println("counting: cloudpg calls by an SDK execution interceptor, one per API call (SDK retries "
          + "not counted), waits included (moto answers at once, so each wait polls once or twice); procedure A "
          + "counted command by command from its document, each waiter as one poll");
      System.out.println("\napply, by operation:   " + applyCalls);
      System.out.println("destroy, by operation: " + destroyCalls);
    }
    return 0;
  }
}
