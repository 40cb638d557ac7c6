package dev.cloudpg.examples;

import dev.cloudpg.CloudpgException;
import dev.cloudpg.DestroyOptions;
import dev.cloudpg.InstanceSize;
import dev.cloudpg.Network;
import dev.cloudpg.PeerNetwork;
import dev.cloudpg.Peering;
import dev.cloudpg.Plan;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ProvisioningListener;
import dev.cloudpg.Stack;
import dev.cloudpg.StackOutputs;
import dev.cloudpg.aws.AwsCloud;
import dev.cloudpg.spi.WaitPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Procedure A as a program: a VPC with a subnet in two zones, a DB subnet group, a security group, an Aurora
 * PostgreSQL cluster with a writer and a reader, and a peering with the application's VPC (found by id, or by the
 * private DNS name of one of its nodes) with routes both ways and port 5432 open to the application's CIDR only.
 * With {@code --destroy} it removes all of it, turning deletion protection off and skipping the final snapshot, as
 * the seed's {@code aurora_delete.sh} does.
 *
 * <pre>
 * java -jar cloudpg-examples.jar aurora --region eu-west-1 --app-vpc vpc-0b72... [--endpoint http://127.0.0.1:5000]
 * java -jar cloudpg-examples.jar aurora --region eu-west-1 --app-vpc ip-10-0-1-5.eu-west-1.compute.internal --destroy
 * </pre>
 */
final class AuroraExample {
  static final String USAGE = "aurora --region R --app-vpc VPC_ID_OR_NODE_DNS_NAME [--app-region R] "
      + "[--endpoint URL] [--name NAME] [--cidr CIDR] [--destroy]";

  private AuroraExample() {}

  /** The stack of procedure A: the database named like the stack, so its cluster identifier is {@code name}. */
  static Stack stack(String name, String cidr, String appVpc, String appRegion) {
    PeerNetwork peer = appVpc.matches("vpc-[0-9a-f]+") ? PeerNetwork.awsVpc(appVpc)
        : PeerNetwork.awsVpcOfInstance(appVpc);
    if (appRegion != null) {
      peer = peer.withRegion(appRegion);
    }
    return Stack.builder().name(name)
        .addNetworks(Network.builder().name("db").cidr(cidr).zones(2).build())
        .addDatabases(PostgresCluster.builder().name(name).network("db").version("17.5").instances(2)
            .size(InstanceSize.MEDIUM).databaseName("keycloak").masterUsername("keycloak").build())
        .addPeerings(Peering.builder().name("app").network("db").peer(peer).allowPort(5432).build())
        .build();
  }

  static int run(String[] args) {
    Map<String, String> options = new HashMap<>();
    boolean destroy = false;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--destroy")) {
        destroy = true;
      } else if (args[i].startsWith("--") && i + 1 < args.length) {
        options.put(args[i].substring(2), args[++i]);
      } else {
        System.err.println("unexpected argument: " + args[i] + "\nusage: " + USAGE);
        return 2;
      }
    }
    if (!options.containsKey("region") || !options.containsKey("app-vpc")) {
      System.err.println("usage: " + USAGE);
      return 2;
    }
    String name = options.getOrDefault("name", "keycloak-aurora");
    try {
      Stack stack = stack(name, options.getOrDefault("cidr", "192.168.0.0/16"), options.get("app-vpc"),
          options.get("app-region"));
      try (AwsCloud cloud = cloud(options)) {
        return destroy ? destroy(cloud, stack) : apply(cloud, stack);
      }
    } catch (CloudpgException e) {
      System.err.println("\nfailed: " + e.getMessage());
      return 1;
    }
  }

  private static AwsCloud cloud(Map<String, String> options) {
    AwsCloud.Builder builder = AwsCloud.builder().region(options.get("region"));
    String endpoint = options.get("endpoint");
    if (endpoint != null) {
      builder.endpointOverride(URI.create(endpoint));
      // an emulator answers at once: poll every few milliseconds instead of every 10 to 30 seconds
      builder.waitPolicy(WaitPolicy.of(Duration.ofMillis(20), Duration.ofMillis(500), Duration.ofMinutes(5)));
      if (System.getenv("AWS_ACCESS_KEY_ID") == null) {
        builder.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
      }
    }
    return builder.build();
  }

  private static int apply(AwsCloud cloud, Stack stack) {
    System.out.println("== Plan (reads " + cloud.region() + ", changes nothing)");
    Plan plan = cloud.plan(stack);
    System.out.print(plan.render());
    System.out.println("\n== Apply");
    StackOutputs outputs = cloud.apply(plan, ProvisioningListener.console());
    System.out.println("\n== Endpoints");
    System.out.print(outputs.render());
    String cluster = stack.databases().get(0).name();
    System.out.println("writer endpoint of DB cluster " + cluster + " (looked up as procedure A does): "
        + cloud.writerEndpoint(cluster).orElse("(none)"));
    return 0;
  }

  private static int destroy(AwsCloud cloud, Stack stack) {
    DestroyOptions options = DestroyOptions.builder().overrideDeletionProtection(true).skipFinalSnapshot(true)
        .build();
    System.out.println("== Destroy plan (deletion protection turned off, no final snapshot)");
    System.out.print(cloud.planDestroy(stack, options).render());
    System.out.println("\n== Destroy");
    cloud.destroy(stack, ProvisioningListener.console(), options);
    System.out.println("\nstack " + stack.name() + " removed; resources it does not own were left alone");
    return 0;
  }
}
