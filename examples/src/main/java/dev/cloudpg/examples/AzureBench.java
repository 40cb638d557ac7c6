package dev.cloudpg.examples;

import dev.cloudpg.ApplyOptions;
import dev.cloudpg.ProvisioningListener;
import dev.cloudpg.Stack;
import dev.cloudpg.azure.AksOptions;
import dev.cloudpg.azure.AzureCloud;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * How much of procedure B's waiting cloudpg overlaps: the apply's simulated wall time against FakeArm and
 * FakeKubernetes with realistic durations (AKS about 8 minutes, the node pool 5, Grafana 4, the CNPG cluster 4...),
 * once with the default parallelism and once one step at a time, as the guide's commands run, and their ratio. Fresh
 * fakes for each run; figures are simulated time, read from the engine's scaled clock.
 */
@Command(name = "azure",
    description = {"Procedure B's apply time against the fakes, parallel and one step at a time.",
        "Against FakeArm and FakeKubernetes with realistic durations, with the default parallelism and one step at "
            + "a time as the guide runs, and their ratio (simulated time)."})
final class AzureBench implements Callable<Integer> {
  @Mixin
  CommonOptions common;

  AzureBench() {}

  @Override
  public Integer call() {
    Duration parallel = apply(ApplyOptions.defaults().parallelism());
    Duration serial = apply(1);
    System.out.printf("procedure B apply, simulated wall time:%n");
    System.out.printf("  parallelism %2d: %s%n", ApplyOptions.defaults().parallelism(), format(parallel));
    System.out.printf("  parallelism  1: %s (one step at a time, as the guide runs)%n", format(serial));
    System.out.printf("  ratio: %.2f (serial / parallel)%n", (double) serial.toMillis() / parallel.toMillis());
    return 0;
  }

  private static Duration apply(int parallelism) {
    try (AksExample.Fakes fakes = AksExample.Fakes.start(null, AksExample.DEFAULT_TIME_SCALE);
        AzureCloud cloud = fakes.cloud().build()) {
      Stack stack = AksExample.stack("bench", AksOptions.builder().kubernetesVersion("1.32")
          .addAuthorizedIpRanges("203.0.113.7/32").cnpgManifest(fakes.kube().operatorManifest()).build());
      Instant start = cloud.time().now();
      cloud.apply(cloud.plan(stack), ProvisioningListener.none(),
          ApplyOptions.builder().parallelism(parallelism).build());
      return Duration.between(start, cloud.time().now());
    }
  }

  private static String format(Duration d) {
    return String.format("%dm%02ds", d.toMinutes(), d.toSecondsPart());
  }
}
