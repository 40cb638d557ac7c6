package dev.cloudpg.examples;

import dev.cloudpg.ApplyOptions;
import dev.cloudpg.Plan;
import dev.cloudpg.ProvisioningEvent;
import dev.cloudpg.Stack;
import dev.cloudpg.azure.AksOptions;
import dev.cloudpg.azure.AzureCloud;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * How much of procedure B's waiting cloudpg overlaps: the apply alone (the plan before it is not counted), against
 * FakeArm and FakeKubernetes with realistic durations (AKS about 8 minutes, the node pool 5, Grafana 4, the CNPG
 * cluster 4...), all on one virtual clock with the engine, so the simulated figures are exact. It prints the apply,
 * the sum of its steps' durations (what running them one at a time would take) and their ratio, and the guide's own
 * sequence: the same steps plus the separate node pool add the guide makes and cloudpg folds into the cluster's
 * create.
 */
@Command(name = "azure",
    description = {"Procedure B's apply time against the fakes, and what one step at a time would take.",
        "Against FakeArm and FakeKubernetes with realistic durations on one virtual clock: the apply alone, the sum "
            + "of its steps' durations (one at a time, as the guide runs them) and their ratio (simulated time)."})
final class AzureBench implements Callable<Integer> {
  @Mixin
  CommonOptions common;

  AzureBench() {}

  @Override
  public Integer call() {
    try (AksExample.Fakes fakes = AksExample.Fakes.start(null, null);
        AzureCloud cloud = fakes.cloud().build()) {
      Stack stack = AksExample.stack("bench", AksOptions.builder().addAuthorizedIpRanges("203.0.113.7/32")
          .cnpgManifest(fakes.kube().operatorManifest()).barmanPluginManifest(fakes.kube().barmanPluginManifest())
          .certManagerManifest(fakes.kube().certManagerManifest()).build());
      Plan plan = cloud.plan(stack);
      List<ProvisioningEvent> events = new ArrayList<>();
      Instant start = cloud.time().now();
      cloud.apply(plan, events::add, ApplyOptions.defaults());
      Duration apply = Duration.between(start, cloud.time().now());
      Duration oneAtATime = events.stream().filter(e -> e.type() == ProvisioningEvent.Type.COMPLETED)
          .map(ProvisioningEvent::elapsed).reduce(Duration.ZERO, Duration::plus);
      System.out.printf("procedure B, %d steps, simulated time on a virtual clock:%n",
          plan.changes().size());
      System.out.printf("  apply (plan not counted): %s%n", format(apply));
      System.out.printf("  one step at a time:       %s (the sum of the steps' durations)%n", format(oneAtATime));
      java.util.Map<dev.cloudpg.ResourceKey, Duration> steps = new java.util.HashMap<>();
      events.stream().filter(e -> e.type() == ProvisioningEvent.Type.COMPLETED && e.resource().isPresent())
          .forEach(e -> steps.put(e.resource().get(), e.elapsed()));
      LongestChain chain = LongestChain.of(plan, k -> steps.getOrDefault(k, Duration.ZERO));
      System.out.printf("  longest chain:            %s%n", chain.describe());
      System.out.printf("longest chain: %s%n", format(chain.duration()));
      System.out.printf(Locale.ROOT, "apply/chain ratio: %.2f%n",
          (double) apply.toMillis() / Math.max(1, chain.duration().toMillis()));
      System.out.printf(Locale.ROOT, "one-at-a-time/apply ratio: %.2f%n",
          (double) oneAtATime.toMillis() / apply.toMillis());
      // The guide adds the postgres pool with its own 'az aks nodepool add' after the cluster exists, and waits for
      // it; cloudpg declares the pool in the cluster's create, so that wait is not among cloudpg's steps.
      Duration poolAdd = fakes.arm().duration("Microsoft.ContainerService/managedClusters/agentPools");
      Duration guide = oneAtATime.plus(poolAdd);
      System.out.printf("  the guide, step by step:  %s (the same steps, and its separate node pool add, %s)%n",
          format(guide), format(poolAdd));
      System.out.printf(Locale.ROOT, "guide/apply ratio: %.2f%n", (double) guide.toMillis() / apply.toMillis());
      return 0;
    }
  }

  private static String format(Duration d) {
    return String.format("%dm%02ds", d.toMinutes(), d.toSecondsPart());
  }
}
