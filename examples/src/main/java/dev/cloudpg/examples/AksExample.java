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
final class AksExample {
  static final String USAGE = "aks [--fake [--time-scale X]] [--request-log DIR] [--subscription S] [--region R] "
      + "[--name N] [--authorized-ip CIDR] [--kubernetes-version V] [--destroy]";
  static final String FAKE_SUBSCRIPTION = "00000000-0000-0000-0000-00000000c10d";
  /**
   * The fakes' simulated minute lasts 0.6 s: fast enough to watch, slow enough that the program's own few
   * milliseconds per request, multiplied by the scale, do not distort the simulated durations much.
   */
  static final double DEFAULT_TIME_SCALE = 100;
  /** How long CloudNativePG takes to bring three instances up, on the fake cluster. */
  static final Duration CNPG_READY = Duration.ofMinutes(4);

  private AksExample() {}

  /** The stack of procedure B: one VNet, one PostgreSQL cluster of three instances over zones 1 to 3. */
  static Stack stack(String name, AksOptions options) {
    return Stack.builder().name(name).putTags("owner", "user")
        .addNetworks(Network.builder().name("aks").cidr("10.224.0.0/16").build())
        .addDatabases(PostgresCluster.builder().name("pg").network("aks").version("17").instances(3)
            .databaseName("app").masterUsername("app").deletionProtection(false).addOptions(options).build())
        .build();
  }

  /** Fakes of ARM and of the cluster's API server, with realistic durations, for {@code --fake} and the bench. */
  record Fakes(FakeArm arm, FakeKubernetes kube, double timeScale) implements AutoCloseable {
    static Fakes start(Path requestLog, double timeScale) {
      FakeKubernetes kube = FakeKubernetes.start(CNPG_READY, timeScale);
      FakeArm.Builder arm = FakeArm.builder().realisticDurations().timeScale(timeScale)
          .kubernetesApiServer(kube.apiServer());
      if (requestLog != null) {
        arm.requestLog(requestLog);
      }
      return new Fakes(arm.build(), kube, timeScale);
    }

    AzureCloud.Builder cloud() {
      TokenCredential token = request -> Mono.just(new AccessToken("fake-token", OffsetDateTime.MAX));
      return AzureCloud.builder().subscription(FAKE_SUBSCRIPTION).tenant(arm.tenantId()).region("westus3")
          .credential(token).endpointOverride(arm.endpoint())
          .timeSource(TimeSource.scaled(Instant.now(), timeScale));
    }

    @Override
    public void close() {
      arm.close();
      kube.close();
    }
  }

  static int run(String[] args) {
    boolean fake = false;
    boolean destroy = false;
    Path requestLog = null;
    double timeScale = DEFAULT_TIME_SCALE;
    String subscription = null;
    String region = "westus3";
    String name = "pg";
    AksOptions.Builder options = AksOptions.builder();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      boolean hasValue = i + 1 < args.length;
      if (a.equals("--fake")) {
        fake = true;
      } else if (a.equals("--destroy")) {
        destroy = true;
      } else if (a.equals("--time-scale") && hasValue) {
        timeScale = Double.parseDouble(args[++i]);
      } else if (a.equals("--request-log") && hasValue) {
        requestLog = Path.of(args[++i]);
      } else if (a.equals("--subscription") && hasValue) {
        subscription = args[++i];
      } else if (a.equals("--region") && hasValue) {
        region = args[++i];
      } else if (a.equals("--name") && hasValue) {
        name = args[++i];
      } else if (a.equals("--authorized-ip") && hasValue) {
        options.addAuthorizedIpRanges(args[++i]);
      } else if (a.equals("--kubernetes-version") && hasValue) {
        options.kubernetesVersion(args[++i]);
      } else {
        System.err.println("unexpected argument: " + a + "\nusage: " + USAGE);
        return 2;
      }
    }
    if (!fake) {
      if (requestLog != null) {
        System.err.println("--request-log needs --fake: it is the fake ARM that records requests");
        return 2;
      }
      AzureCloud.Builder cloud = AzureCloud.builder().region(region);
      if (subscription != null) {
        cloud.subscription(subscription);
      }
      try (AzureCloud azure = cloud.build()) {
        Stack stack = stack(name, options.build());
        return destroy ? destroy(azure, stack) : apply(azure, stack);
      }
    }
    try (Fakes fakes = Fakes.start(requestLog, timeScale)) {
      options.cnpgManifest(fakes.kube().operatorManifest());
      if (options.build().authorizedIpRanges().isEmpty()) {
        options.addAuthorizedIpRanges("203.0.113.7/32");
      }
      if (options.build().kubernetesVersion().isEmpty()) {
        options.kubernetesVersion("1.32");
      }
      System.out.println("fake ARM at " + fakes.arm().endpoint() + ", fake Kubernetes API at "
          + fakes.kube().apiServer() + " (simulated time, x" + (int) timeScale + ")");
      try (AzureCloud azure = fakes.cloud().build()) {
        Stack stack = stack(name, options.build());
        int status = apply(azure, stack);
        if (destroy) {
          status = destroy(azure, stack);
        }
        if (requestLog != null) {
          System.out.println(fakes.arm().requests().size() + " ARM requests written to " + requestLog);
        }
        return status;
      }
    }
  }

  private static int destroy(AzureCloud azure, Stack stack) {
    Plan plan = azure.planDestroy(stack, DestroyOptions.builder().overrideDeletionProtection(true)
        .skipFinalSnapshot(true).build());
    System.out.println(plan.render());
    azure.apply(plan, ProvisioningListener.console());
    return 0;
  }

  private static int apply(AzureCloud azure, Stack stack) {
    Plan plan = azure.plan(stack);
    System.out.println(plan.render());
    Instant start = azure.time().now();
    StackOutputs out = azure.apply(plan, ProvisioningListener.console());
    System.out.println(out.render());
    System.out.println("applied in " + Duration.between(start, azure.time().now()).withNanos(0)
        + "; kubeconfig: cloud.kubeconfig(stack, \"pg\"), never printed");
    return 0;
  }
}
