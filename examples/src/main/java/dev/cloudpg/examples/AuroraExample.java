package dev.cloudpg.examples;

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
import dev.cloudpg.aws.AuroraOptions;
import dev.cloudpg.aws.AwsCloud;
import dev.cloudpg.aws.AwsDisconnected;
import dev.cloudpg.spi.WaitPolicy;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Procedure A as a program: a VPC with a subnet in two zones, a DB subnet group, a security group, an Aurora
 * PostgreSQL cluster with a writer and readers, and a peering with each application VPC (found by id, or by the
 * private DNS name of one of its nodes) with routes both ways and port 5432 open to the application's CIDR only.
 * With {@code --destroy} it removes all of it, turning deletion protection off and skipping the final snapshot, as
 * procedure A's {@code aurora_delete.sh} does.
 *
 * <pre>
 * java -jar cloudpg-examples.jar aurora --region eu-west-1 --app-vpc vpc-0b72... [--endpoint http://127.0.0.1:5000]
 * java -jar cloudpg-examples.jar aurora --region eu-west-1 --app-vpc ip-10-0-1-5.eu-west-1.compute.internal
 * java -jar cloudpg-examples.jar aurora --region eu-west-1 --destroy
 * java -jar cloudpg-examples.jar aurora --region eu-west-1 --disconnect vpc-0b72...
 * </pre>
 */
@Command(name = "aurora", sortOptions = false,
    description = {"Procedure A on AWS: Aurora PostgreSQL in its VPC, peered with the application's VPCs.",
        "A VPC with subnets in two zones, a DB subnet group, a security group, Aurora PostgreSQL with a writer and "
            + "readers, and a peering with each application VPC, with routes both ways and port 5432 open to it "
            + "only. --destroy removes it all, turning deletion protection off."},
    footer = {"", "Credentials: the AWS SDK's default chain ('aws configure', AWS_PROFILE, or AWS_ACCESS_KEY_ID and "
        + "AWS_SECRET_ACCESS_KEY); with --endpoint and no AWS_ACCESS_KEY_ID, the emulator's test/test."})
final class AuroraExample implements Callable<Integer> {
  /** The name of the first peering, as the stack has always had it; the next ones are app-2, app-3... */
  static final String FIRST_PEERING = "app";

  @Mixin
  CommonOptions common;

  @Spec
  CommandSpec spec;

  @Option(names = "--region", required = true, paramLabel = "R", description = "The AWS region of the database.")
  String region;

  @Option(names = "--app-vpc", paramLabel = "VPC",
      description = {"An application VPC to peer with: its id (vpc-...) or the private DNS name of one of its "
          + "instances. Repeat it for more VPCs: their peerings are app, app-2, app-3..., in the order given; "
          + "running again with fewer removes the others. Required unless --disconnect or --destroy is given."})
  List<String> appVpcs;

  @Option(names = "--app-region", paramLabel = "R",
      description = "The region of the application VPCs, when it is not --region.")
  String appRegion;

  @Option(names = "--endpoint", paramLabel = "URL", converter = Converters.HttpUrl.class,
      description = "An AWS emulator to use instead of AWS, such as moto_server at http://127.0.0.1:5000.")
  URI endpoint;

  @Option(names = "--name", paramLabel = "NAME", defaultValue = "keycloak-aurora",
      description = "The stack's name, also the DB cluster identifier (default: ${DEFAULT-VALUE}).")
  String name;

  @Option(names = "--cidr", paramLabel = "CIDR", defaultValue = "192.168.0.0/16",
      converter = Converters.NetworkCidr.class,
      description = "The database VPC's block, /16 to /28 (default: ${DEFAULT-VALUE}).")
  String cidr;

  @Option(names = "--engine-version", paramLabel = "V",
      description = "The exact Aurora PostgreSQL engine version, such as 16.4 (default: " + AuroraExample.VERSION
          + ").")
  String engineVersion;

  @Option(names = "--instance-class", paramLabel = "C",
      description = "The DB instance class of every instance, such as db.r8g.large (default: db.r8g.large, for size MEDIUM).")
  String instanceClass;

  @Option(names = "--instances", paramLabel = "N", defaultValue = "2", converter = Converters.InstanceCount.class,
      description = "How many instances: a writer and N-1 readers, 1 to 16 (default: ${DEFAULT-VALUE}).")
  int instances;

  @Option(names = "--graph", paramLabel = "FILE",
      description = "Write the plan to FILE as Markdown with its Mermaid graph, before applying it.")
  Path graph;

  @Option(names = "--destroy",
      description = {"Remove the stack instead: deletion protection off, no final snapshot. Everything the stack "
          + "owns is removed, whatever --app-vpc and --instances say (neither is needed), and the destroy checks that "
          + "nothing is left."})
  boolean destroy;

  @Option(names = "--disconnect", paramLabel = "VPC_ID_OR_NODE_DNS",
      description = {"Instead of applying, remove every peering cloudpg made from this application VPC (its id, or "
          + "the private DNS name of one of its instances; in --app-region if given) to any stack of --region, with "
          + "its routes on both sides and its ingress rules. Nothing else changes; applying a stack that still "
          + "names the VPC peers it again."})
  String disconnect;

  /** The PostgreSQL version of the stack's database. */
  static final String VERSION = "17.5";

  AuroraExample() {}

  /** The stack of procedure A with one application VPC and the defaults: what {@code bench aws} measures. */
  static Stack stack(String name, String cidr, String appVpc, String appRegion) {
    return stack(name, cidr, List.of(appVpc), appRegion, 2, null);
  }

  /**
   * The stack of procedure A: the database named like the stack, so its cluster identifier is {@code name}, and one
   * peering per application VPC, the first named {@code app} as it always was, so that existing stacks keep theirs.
   *
   * @param aurora Aurora settings for the database, or null for none
   */
  static Stack stack(String name, String cidr, List<String> appVpcs, String appRegion, int instances,
      AuroraOptions aurora) {
    PostgresCluster.Builder db = PostgresCluster.builder().name(name).network("db").version(VERSION)
        .instances(instances).size(InstanceSize.MEDIUM).databaseName("keycloak").masterUsername("keycloak");
    if (aurora != null) {
      db.addOptions(aurora);
    }
    Stack.Builder stack = Stack.builder().name(name)
        .addNetworks(Network.builder().name("db").cidr(cidr).zones(2).build())
        .addDatabases(db.build());
    for (int i = 0; i < appVpcs.size(); i++) {
      String appVpc = appVpcs.get(i);
      PeerNetwork peer = appVpc.matches("vpc-[0-9a-f]+") ? PeerNetwork.awsVpc(appVpc)
          : PeerNetwork.awsVpcOfInstance(appVpc);
      if (appRegion != null) {
        peer = peer.withRegion(appRegion);
      }
      stack.addPeerings(Peering.builder().name(peeringName(i)).network("db").peer(peer).allowPort(5432).build());
    }
    return stack.build();
  }

  /** The name of the peering with the {@code index}th application VPC (from 0): app, app-2, app-3... */
  static String peeringName(int index) {
    return index == 0 ? FIRST_PEERING : FIRST_PEERING + "-" + (index + 1);
  }

  @Override
  public Integer call() {
    if (disconnect != null) {
      if (destroy || appVpcs != null) {
        throw new ParameterException(spec.commandLine(), "--disconnect takes neither --app-vpc nor --destroy: it "
            + "removes the peerings of one application VPC from every stack of the region");
      }
      try (AwsCloud cloud = cloud(region, endpoint)) {
        return disconnect(cloud);
      }
    }
    if (appVpcs == null) {
      if (!destroy) {
        throw new ParameterException(spec.commandLine(),
            "Missing required option: '--app-vpc=VPC' (or --disconnect, or --destroy)");
      }
      appVpcs = List.of(); // a destroy removes every peering the stack owns, named or not
    }
    Set<String> seen = new HashSet<>();
    for (String vpc : appVpcs) {
      if (!seen.add(vpc)) {
        throw new ParameterException(spec.commandLine(), "Invalid value for option '--app-vpc': '" + vpc
            + "' is given twice; each application VPC gets one peering");
      }
    }
    AuroraOptions aurora = null;
    if (engineVersion != null || instanceClass != null) {
      AuroraOptions.Builder options = AuroraOptions.builder();
      if (engineVersion != null) {
        options.engineVersion(engineVersion);
      }
      if (instanceClass != null) {
        options.instanceClass(instanceClass);
      }
      aurora = options.build();
    }
    Stack stack = stack(name, cidr, appVpcs, appRegion, instances, aurora);
    PlanGraph plans = new PlanGraph(graph, "aurora");
    try (AwsCloud cloud = cloud(region, endpoint)) {
      return destroy ? destroy(cloud, stack, plans) : apply(cloud, stack, plans);
    }
  }

  private int disconnect(AwsCloud cloud) {
    PeerNetwork peer = disconnect.matches("vpc-[0-9a-f]+") ? PeerNetwork.awsVpc(disconnect)
        : PeerNetwork.awsVpcOfInstance(disconnect);
    if (appRegion != null) {
      peer = peer.withRegion(appRegion);
    }
    System.out.println("== Disconnect " + disconnect + " from every stack of " + cloud.region());
    List<AwsDisconnected> removed = cloud.disconnect(peer);
    removed.forEach(r -> System.out.println(r.render()));
    System.out.println(removed.isEmpty() ? "no peering of cloudpg's leads to " + disconnect
        : removed.size() + " peerings removed; the stacks' databases and networks are untouched");
    return 0;
  }

  /** A cloud of the region, pointed at the emulator when {@code endpoint} is given (test/test credentials then). */
  static AwsCloud cloud(String region, URI endpoint) {
    AwsCloud.Builder builder = AwsCloud.builder().region(region);
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
      // an emulator answers at once: poll every few milliseconds instead of every 10 to 30 seconds
      builder.waitPolicy(WaitPolicy.of(Duration.ofMillis(20), Duration.ofMillis(500), Duration.ofMinutes(5)));
      if (System.getenv("AWS_ACCESS_KEY_ID") == null) {
        builder.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
      }
    }
    return builder.build();
  }

  private static int apply(AwsCloud cloud, Stack stack, PlanGraph plans) {
    System.out.println("== Plan (reads " + cloud.region() + ", changes nothing)");
    Plan plan = cloud.plan(stack);
    System.out.print(plan.render());
    plans.add(plan);
    System.out.println("\n== Apply");
    StackOutputs outputs = cloud.apply(plan, ProvisioningListener.console());
    System.out.println("\n== Endpoints");
    System.out.print(outputs.render());
    String cluster = stack.databases().get(0).name();
    System.out.println("writer endpoint of DB cluster " + cluster + " (looked up as procedure A does): "
        + cloud.writerEndpoint(cluster).orElse("(none)"));
    return 0;
  }

  private static int destroy(AwsCloud cloud, Stack stack, PlanGraph plans) {
    DestroyOptions options = DestroyOptions.builder().overrideDeletionProtection(true).skipFinalSnapshot(true)
        .build();
    System.out.println("== Destroy plan (deletion protection turned off, no final snapshot)");
    Plan plan = cloud.planDestroy(stack, options);
    System.out.print(plan.render());
    plans.add(plan);
    System.out.println("\n== Destroy");
    cloud.apply(plan, ProvisioningListener.console());
    System.out.println("\nstack " + stack.name() + " removed; resources it does not own were left alone");
    return 0;
  }
}
