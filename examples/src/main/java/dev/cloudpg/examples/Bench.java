package dev.cloudpg.examples;

import dev.cloudpg.ApplyOptions;
import dev.cloudpg.Change;
import dev.cloudpg.Network;
import dev.cloudpg.Peering;
import dev.cloudpg.PeerNetwork;
import dev.cloudpg.Plan;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ProvisioningListener;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.testkit.FakeCloud;
import dev.cloudpg.testkit.LatencyProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Measures how well the engine overlaps independent branches: a FakeCloud stack of two networks, three databases and
 * two peerings under realistic latencies, applied with the default parallelism and with parallelism 1. The figure of
 * merit is the simulated apply time divided by the time of the longest dependency chain, the lower bound of any
 * schedule (target: at most 1.10).
 */
@Command(name = "bench", sortOptions = false,
    description = {"Benchmarks of the engine and the providers: fake (the default), aws, azure.",
        "Without a mode, bench runs fake."},
    subcommands = {Bench.Fake.class, AwsBench.class, AzureBench.class})
final class Bench implements Callable<Integer> {
  private static final LatencyProfile PROFILE = LatencyProfile.realistic().withJitter(0);
  private static final int RUNS = 3;

  @Mixin
  CommonOptions common;

  Bench() {}

  /** {@code bench} alone is {@code bench fake}. */
  @Override
  public Integer call() {
    return run();
  }

  /** {@code bench fake}. */
  @Command(name = "fake",
      description = {"How far the engine overlaps independent branches (FakeCloud, simulated time).",
          "The simulated apply time of a FakeCloud stack with realistic latencies over its longest dependency chain, "
              + "with parallelism 10 and 1 (target: at most 1.10)."})
  static final class Fake implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    Fake() {}

    @Override
    public Integer call() {
      return run();
    }
  }

  static int run() {
    Stack stack = stack();
    FakeCloud probe = cloud();
    Plan plan = probe.plan(stack);
    Map<ResourceKey, Duration> finish = new HashMap<>();
    Map<ResourceKey, ResourceKey> via = new HashMap<>();
    ResourceKey last = null;
    for (Change c : plan.changes()) {
      Duration start = Duration.ZERO;
      for (ResourceKey dep : c.dependsOn()) {
        if (finish.get(dep).compareTo(start) > 0) {
          start = finish.get(dep);
          via.put(c.resource(), dep);
        }
      }
      finish.put(c.resource(), start.plus(PROFILE.create(c.resource().type()))
          .plus(PROFILE.apiCall().multipliedBy(2)));
      if (last == null || finish.get(c.resource()).compareTo(finish.get(last)) > 0) {
        last = c.resource();
      }
    }
    Duration chain = finish.get(last);
    List<String> path = new ArrayList<>();
    for (ResourceKey k = last; k != null; k = via.get(k)) {
      path.add(0, k.toString());
    }
    System.out.printf("stack: %d networks, %d databases, %d peerings -> %d resources%n", stack.networks().size(),
        stack.databases().size(), stack.peerings().size(), plan.changes().size());
    System.out.printf("longest dependency chain (%s): %s%n", format(chain), String.join(" -> ", path));
    System.out.println("latency profile: realistic (cluster 6 min, instance 9 min, peering 30 s, 80 ms per call); "
        + "simulated time, " + RUNS + " runs each, median");
    measure(stack, 10, chain, 1, false); // warms the JVM up: at this time scale a real millisecond is a second
    double parallel = measure(stack, 10, chain, RUNS, true);
    double serial = measure(stack, 1, chain, RUNS, true);
    System.out.printf("%nratio with parallelism 10: %.3f (target <= 1.10)%n", parallel);
    System.out.printf("ratio with parallelism 1:  %.3f%n", serial);
    return 0;
  }

  private static double measure(Stack stack, int parallelism, Duration chain, int runs, boolean print) {
    List<Duration> times = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      FakeCloud cloud = cloud();
      Plan plan = cloud.plan(stack);
      Duration before = cloud.elapsed();
      cloud.apply(plan, ProvisioningListener.none(), ApplyOptions.builder().parallelism(parallelism).build());
      times.add(cloud.elapsed().minus(before));
    }
    times.sort(Duration::compareTo);
    Duration median = times.get(runs / 2);
    double ratio = median.toNanos() / (double) chain.toNanos();
    if (print) {
      System.out.printf("parallelism %2d: apply %s (runs: %s), ratio %.3f%n", parallelism, format(median),
          times.stream().map(Bench::format).toList(), ratio);
    }
    return ratio;
  }

  private static String format(Duration d) {
    return d.toHours() > 0 ? String.format("%dh%02dm%02ds", d.toHours(), d.toMinutesPart(), d.toSecondsPart())
        : String.format("%dm%02ds", d.toMinutes(), d.toSecondsPart());
  }

  private static FakeCloud cloud() {
    FakeCloud cloud = FakeCloud.builder().latency(PROFILE).timeScale(1_000).build();
    cloud.addPeerNetwork("vpc-0a5e0001", "10.1.0.0/16");
    cloud.addPeerNetwork("vpc-0a5e0002", "10.2.0.0/16");
    return cloud;
  }

  private static Stack stack() {
    return Stack.builder().name("bench")
        .addNetworks(Network.builder().name("east").cidr("192.168.0.0/16").zones(3).build())
        .addNetworks(Network.builder().name("west").cidr("172.16.0.0/16").zones(2).build())
        .addDatabases(PostgresCluster.builder().name("orders").network("east").instances(3).build())
        .addDatabases(PostgresCluster.builder().name("users").network("east").instances(2).build())
        .addDatabases(PostgresCluster.builder().name("audit").network("west").instances(2).build())
        .addPeerings(Peering.builder().name("app-east").network("east").peer(PeerNetwork.awsVpc("vpc-0a5e0001"))
            .build())
        .addPeerings(Peering.builder().name("app-west").network("west").peer(PeerNetwork.awsVpc("vpc-0a5e0002"))
            .build())
        .build();
  }
}
