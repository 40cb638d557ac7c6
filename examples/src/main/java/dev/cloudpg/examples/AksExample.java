package dev.cloudpg.examples;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import dev.cloudpg.DestroyOptions;
import dev.cloudpg.Network;
import dev.cloudpg.Plan;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ProvisioningListener;
import dev.cloudpg.Stack;
import dev.cloudpg.StackOutputs;
import dev.cloudpg.azure.AksOptions;
import dev.cloudpg.azure.AzureCloud;
import dev.cloudpg.spi.TimeSource;
import dev.cloudpg.testkit.azure.FakeArm;
import dev.cloudpg.testkit.azure.FakeKubernetes;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import reactor.core.publisher.Mono;

/**
 * Procedure B as a program: the AKS platform for highly available PostgreSQL with CloudNativePG (identity, backup
 * storage and its role, monitoring, AKS with the {@code postgres} pool, public IP, roles, the operator) and a
 * three-instance CNPG cluster. {@code --fake} runs it against FakeArm and FakeKubernetes in this process, with
 * realistic durations compressed a hundredfold, so no Azure account is needed; {@code --request-log DIR} writes
 * every ARM request there, and {@code --time-scale} compresses time further or less. {@code --destroy} removes the
 * stack, backups included; with {@code --fake} it does so after the apply, since the fakes live only as long as the
 * program.
 *
 * <pre>
 * java -jar cloudpg-examples.jar aks --fake --request-log target/aks-requests
 * java -jar cloudpg-examples.jar aks --subscription SUB --region westus3 --authorized-ip 203.0.113.7/32
 * </pre>
 */
@Command(name = "aks", sortOptions = false,
    description = {"Procedure B on Azure: the AKS platform for CloudNativePG and a 3-instance cluster.",
        "The identity, backup storage, monitoring, AKS with its postgres pool, a public IP, the roles and the "
            + "operator, then the CNPG cluster. --fake runs it in this process against FakeArm and FakeKubernetes, "
            + "with realistic durations on simulated time."},
    footer = {"", "Credentials: DefaultAzureCredential ('az login', or AZURE_CLIENT_ID, AZURE_TENANT_ID and "
        + "AZURE_CLIENT_SECRET); --fake needs none."})
final class AksExample implements Callable<Integer> {
  /** What to say when there is no subscription: where it comes from and how to find it. */
  static final String MISSING_SUBSCRIPTION = "'--subscription=S' (or set AZURE_SUBSCRIPTION_ID; 'az account show "
      + "--query id --output tsv' prints the one 'az login' chose)";
  static final String FAKE_SUBSCRIPTION = "00000000-0000-0000-0000-00000000c10d";
  /** Where the fakes' virtual clock starts. */
  static final Instant FAKE_EPOCH = Instant.parse("2030-01-01T00:00:00Z");
  /** How long CloudNativePG takes to bring three instances up, on the fake cluster. */
  static final Duration CNPG_READY = Duration.ofMinutes(4);

  /** The stack of procedure B: one VNet, one PostgreSQL cluster of three instances over zones 1 to 3. */
  static Stack stack(String name, AksOptions options) {
    return Stack.builder().name(name).putTags("owner", "user")
        .addNetworks(Network.builder().name("aks").cidr("10.224.0.0/16").build())
        .addDatabases(PostgresCluster.builder().name("pg").network("aks").version("17").instances(3)
            .databaseName("app").masterUsername("app").deletionProtection(false).addOptions(options).build())
        .build();
  }

  /** Fakes of ARM and of the cluster's API server, with realistic durations, for {@code --fake} and the bench. */
  record Fakes(FakeArm arm, FakeKubernetes kube, TimeSource time) implements AutoCloseable {
    /**
     * @param timeScale how much faster than real time the fakes run, or null for one virtual clock shared by the
     *     fakes and the cloud: exact simulated figures, as fast as the machine allows
     */
    static Fakes start(Path requestLog, Double timeScale) {
      TimeSource time = timeScale == null ? TimeSource.virtual(FAKE_EPOCH) : TimeSource.scaled(Instant.now(),
          timeScale);
      FakeKubernetes kube = FakeKubernetes.start(CNPG_READY, time);
      FakeArm.Builder arm = FakeArm.builder().realisticDurations().time(time).kubernetesApiServer(kube.apiServer());
      if (requestLog != null) {
        arm.requestLog(requestLog);
      }
      return new Fakes(arm.build(), kube, time);
    }

    /** How the fakes' time runs, for the banner. */
    String pace() {
      return time instanceof dev.cloudpg.spi.VirtualClock ? "simulated time on a virtual clock"
          : "simulated time, sped up";
    }

    AzureCloud.Builder cloud() {
      TokenCredential token = request -> Mono.just(new AccessToken("fake-token", OffsetDateTime.MAX));
      return AzureCloud.builder().subscription(FAKE_SUBSCRIPTION).tenant(arm.tenantId()).region("westus3")
          .credential(token).endpointOverride(arm.endpoint())
          .timeSource(time);
    }

    @Override
    public void close() {
      arm.close();
      kube.close();
    }
  }

  @Mixin
  CommonOptions common;

  @Spec
  CommandSpec spec;

  @Option(names = "--fake", description = "Run against FakeArm and FakeKubernetes in this process: no Azure account.")
  boolean fake;

  @Option(names = "--time-scale", paramLabel = "X", converter = Converters.PositiveNumber.class,
      description = "With --fake: run the fakes on real time sped up X times (by default they share a virtual "
          + "clock with the engine: exact simulated times, no waiting).")
  Double timeScale;

  @Option(names = "--request-log", paramLabel = "DIR",
      description = "With --fake: write every ARM request to DIR, one file each.")
  Path requestLog;

  @Option(names = "--dump-kubernetes", paramLabel = "DIR",
      description = "With --fake: after the apply, write every Kubernetes object applied to DIR, one JSON file each "
          + "(secrets' data redacted).")
  Path dumpKubernetes;

  @Option(names = "--subscription", paramLabel = "S", converter = Converters.Guid.class,
      description = "The Azure subscription id; AZURE_SUBSCRIPTION_ID otherwise.")
  String subscription;

  @Option(names = "--region", paramLabel = "R", defaultValue = "westus3",
      description = "The Azure region (default: ${DEFAULT-VALUE}).")
  String region;

  @Option(names = "--name", paramLabel = "N", defaultValue = "pg",
      description = "The stack's name; its resource group is rg-N (default: ${DEFAULT-VALUE}).")
  String name;

  @Option(names = "--authorized-ip", paramLabel = "CIDR", converter = Converters.Cidr.class,
      description = "A block allowed to reach the AKS API server; repeat it for more.")
  List<String> authorizedIps;

  @Option(names = "--kubernetes-version", paramLabel = "V",
      description = "The AKS Kubernetes version, such as 1.36; AKS's default unless given.")
  String kubernetesVersion;

  @Option(names = "--graph", paramLabel = "FILE",
      description = "Write the plan to FILE as Markdown with its Mermaid graph, before applying it.")
  Path graph;

  @Option(names = "--destroy",
      description = "Remove the stack, backups included; with --fake, after applying it.")
  boolean destroy;

  AksExample() {}

  @Override
  public Integer call() {
    AksOptions.Builder options = AksOptions.builder();
    if (authorizedIps != null) {
      authorizedIps.forEach(options::addAuthorizedIpRanges);
    }
    if (kubernetesVersion != null) {
      options.kubernetesVersion(kubernetesVersion);
    }
    PlanGraph plans = new PlanGraph(graph, "aks");
    if (!fake) {
      if (requestLog != null) {
        throw new ParameterException(spec.commandLine(),
            "--request-log needs --fake: it is the fake ARM that records requests");
      }
      if (timeScale != null) {
        throw new ParameterException(spec.commandLine(), "--time-scale needs --fake: it sets the fakes' pace");
      }
      if (dumpKubernetes != null) {
        throw new ParameterException(spec.commandLine(),
            "--dump-kubernetes needs --fake: it reads the fake Kubernetes API server");
      }
      String sub = subscription(spec, subscription);
      try (AzureCloud azure = AzureCloud.builder().region(region).subscription(sub).build()) {
        azure.checkSignIn();
        Stack stack = stack(name, options.build());
        return destroy ? destroy(azure, stack, plans) : apply(azure, stack, plans);
      }
    }
    try (Fakes fakes = Fakes.start(requestLog, timeScale)) {
      options.cnpgManifest(fakes.kube().operatorManifest()).barmanPluginManifest(fakes.kube().barmanPluginManifest())
          .certManagerManifest(fakes.kube().certManagerManifest());
      if (options.build().authorizedIpRanges().isEmpty()) {
        options.addAuthorizedIpRanges("203.0.113.7/32");
      }
      System.out.println("fake ARM at " + fakes.arm().endpoint() + ", fake Kubernetes API at "
          + fakes.kube().apiServer() + " (" + fakes.pace() + ")");
      try (AzureCloud azure = fakes.cloud().build()) {
        Stack stack = stack(name, options.build());
        int status = apply(azure, stack, plans);
        if (dumpKubernetes != null) {
          System.out.println(KubernetesDump.write(fakes.kube().client(), dumpKubernetes)
              + " Kubernetes objects written to " + dumpKubernetes);
        }
        if (destroy) {
          status = destroy(azure, stack, plans);
        }
        if (requestLog != null) {
          System.out.println(fakes.arm().requests().size() + " ARM requests written to " + requestLog);
        }
        return status;
      }
    }
  }

  /**
   * The subscription to run in: the option, else {@code AZURE_SUBSCRIPTION_ID}; refused as a usage error when there
   * is neither, rather than left to fail after the credential is asked for a token.
   */
  static String subscription(CommandSpec spec, String option) {
    String subscription = subscriptionOrNull(option);
    if (subscription == null) {
      throw new ParameterException(spec.commandLine(), "Missing required option: " + MISSING_SUBSCRIPTION
          + ", unless --fake");
    }
    return subscription;
  }

  /** The option, else {@code AZURE_SUBSCRIPTION_ID}, else null. */
  static String subscriptionOrNull(String option) {
    String env = System.getenv("AZURE_SUBSCRIPTION_ID");
    return option != null ? option : env == null || env.isBlank() ? null : env;
  }

  private static int destroy(AzureCloud azure, Stack stack, PlanGraph plans) {
    Plan plan = azure.planDestroy(stack, DestroyOptions.builder().overrideDeletionProtection(true)
        .skipFinalSnapshot(true).build());
    System.out.println(plan.render());
    plans.add(plan);
    azure.apply(plan, ProvisioningListener.console());
    return 0;
  }

  private static int apply(AzureCloud azure, Stack stack, PlanGraph plans) {
    Plan plan = azure.plan(stack);
    System.out.println(plan.render());
    plans.add(plan);
    Instant start = azure.time().now();
    StackOutputs out = azure.apply(plan, ProvisioningListener.console());
    System.out.println(out.render());
    System.out.println("applied in " + Duration.between(start, azure.time().now()).withNanos(0)
        + "; kubeconfig: cloud.kubeconfig(stack, \"pg\"), never printed");
    return 0;
  }
}
