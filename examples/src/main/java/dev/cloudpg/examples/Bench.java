package dev.cloudpg.examples;

import dev.cloudpg.ApplyOptions;
import dev.cloudpg.Network;
import dev.cloudpg.Peering;
import dev.cloudpg.PeerNetwork;
import dev.cloudpg.Plan;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ProvisioningListener;
import dev.cloudpg.Stack;
import dev.cloudpg.testkit.FakeCloud;
import dev.cloudpg.testkit.LatencyProfile;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Measures how well the engine overlaps independent branches, on FakeCloud's virtual clock (exact simulated times)
 * under realistic latencies. The figure of merit is the simulated apply time divided by the time of the longest
 * dependency chain, the lower bound of any schedule.
 *
 * <ul>
 *   <li>{@code bench}: a stack of two networks, three databases and two peerings, at the default parallelism and at
 *       parallelism 1 (target ratio: at most 1.05);
 *   <li>{@code bench scale}: stacks of 1, 5, 20 and 50 independent databases, each with its network and peering, at
 *       the default parallelism (target ratio: at most 1.10 for every size), with the engine's real overhead per
 *       resource.
 * </ul>
 */
@Command(name = "bench", sortOptions = false,
    description = {"Benchmarks of the engine and the providers: fake (the default), scale, aws, azure.",
        "Without a mode, bench runs fake."},
    subcommands = {Bench.Fake.class, Bench.Scale.class, AwsBench.class, AzureBench.class})
final class Bench implements Callable<Integer> {
  private static final LatencyProfile PROFILE = LatencyProfile.realistic().withJitter(0);

  @Mixin
  CommonOptions common;

  Bench() {}

  /** {@code bench} alone is {@code bench fake}. */
  @Override
  public Integer call() {
    return overlap();
  }

  /** {@code bench fake}. */
  @Command(name = "fake",
      description = {"How far the engine overlaps independent branches (FakeCloud, virtual clock).",
          "The simulated apply time of a FakeCloud stack with realistic latencies over its longest dependency chain, "
              + "with parallelism 10 and 1 (target: at most 1.05)."})
  static final class Fake implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    Fake() {}

    @Override
    public Integer call() {
      return overlap();
    }
  }

  /** {@code bench scale}. */
  @Command(name = "scale",
      description = {"How the apply time grows with the stack (FakeCloud, virtual clock).",
          "Stacks of 1, 5, 20 and 50 independent databases, each with its network and peering: the simulated apply "
              + "over the longest chain (target: at most 1.10 for every size) and the engine's real overhead per "
              + "resource."})
  static final class Scale implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    Scale() {}

    @Override
    public Integer call() {
      return scale();
    }
  }

  private static int overlap() {
    Stack stack = Stack.builder().name("bench")
        .addNetworks(Network.builder().name("east").cidr("192.168.0.0/16").zones(3).build())
        .addNetworks(Network.builder().name("west").cidr("172.16.0.0/16").zones(2).build())
        .addDatabases(PostgresCluster.builder().name("orders").network("east").instances(3).build())
        .addDatabases(PostgresCluster.builder().name("users").network("east").instances(2).build())
        .addDatabases(PostgresCluster.builder().name("audit").network("west").instances(2).build())
        .addPeerings(peering("app-east", "east", 1))
        .addPeerings(peering("app-west", "west", 2))
        .build();
    FakeCloud probe = cloud(2);
    Plan plan = probe.plan(stack);
    LongestChain chain = LongestChain.of(plan, k -> PROFILE.create(k.type()));
    System.out.printf("stack: %d networks, %d databases, %d peerings -> %d resources%n", stack.networks().size(),
        stack.databases().size(), stack.peerings().size(), plan.changes().size());
    System.out.printf("longest chain: %s (%s)%n", format(chain.duration()), chain.describe());
    System.out.println("latency profile: realistic (cluster 6 min, instance 9 min, peering 30 s), no jitter; "
        + "virtual clock: simulated times are exact and repeat");
    Duration parallel = apply(stack, ApplyOptions.defaults().parallelism(), 2);
    Duration serial = apply(stack, 1, 2);
    System.out.printf(Locale.ROOT, "parallelism 10: apply %s, ratio %.3f (target <= 1.05)%n", format(parallel),
        ratio(parallel, chain.duration()));
    System.out.printf(Locale.ROOT, "parallelism  1: apply %s, ratio %.3f (a waiting step holds no slot, so one "
        + "call at a time overlaps the waits just as well)%n", format(serial), ratio(serial, chain.duration()));
    return 0;
  }

  private static int scale() {
    System.out.println("stacks of N independent databases (2 instances each), each with its network and a peering;"
        + " default parallelism; virtual clock");
    System.out.printf("%4s %10s %14s %14s %8s %20s%n", "N", "resources", "apply", "longest chain", "ratio",
        "real ms / resource");
    apply(scaleStack(1), ApplyOptions.defaults().parallelism(), 1); // warms the JVM up for the real-time figure
    for (int n : new int[] {1, 5, 20, 50}) {
      Stack stack = scaleStack(n);
      FakeCloud cloud = cloud(n);
      Plan plan = cloud.plan(stack);
      LongestChain chain = LongestChain.of(plan, k -> PROFILE.create(k.type()));
      long start = System.nanoTime();
      Duration before = cloud.elapsed();
      cloud.apply(plan, ProvisioningListener.none(), ApplyOptions.defaults());
      double realMs = (System.nanoTime() - start) / 1e6;
      Duration took = cloud.elapsed().minus(before);
      System.out.printf(Locale.ROOT, "%4d %10d %14s %14s %8.3f %20.3f%n", n, plan.changes().size(), format(took),
          format(chain.duration()), ratio(took, chain.duration()), realMs / plan.changes().size());
    }
    System.out.println("target: ratio <= 1.10 for every N");
    return 0;
  }

  private static Stack scaleStack(int n) {
    Stack.Builder b = Stack.builder().name("scale");
    for (int i = 1; i <= n; i++) {
      String name = "db" + i;
      b.addNetworks(Network.builder().name(name).cidr("10." + (100 + i) + ".0.0/16").zones(2).build())
          .addDatabases(PostgresCluster.builder().name(name).network(name).instances(2).build())
          .addPeerings(peering("app" + i, name, i));
    }
    return b.build();
  }

  private static Peering peering(String name, String network, int peer) {
    return Peering.builder().name(name).network(network).peer(PeerNetwork.awsVpc(peerVpc(peer))).build();
  }

  private static String peerVpc(int i) {
    return String.format("vpc-0a5e%04d", i);
  }

  /** The simulated time of applying the stack to a new fake. */
  private static Duration apply(Stack stack, int parallelism, int peers) {
    FakeCloud cloud = cloud(peers);
    Plan plan = cloud.plan(stack);
    Duration before = cloud.elapsed();
    cloud.apply(plan, ProvisioningListener.none(), ApplyOptions.builder().parallelism(parallelism).build());
    return cloud.elapsed().minus(before);
  }

  private static double ratio(Duration apply, Duration chain) {
    return apply.toNanos() / (double) chain.toNanos();
  }

  private static String format(Duration d) {
    return d.toHours() > 0 ? String.format("%dh%02dm%02ds", d.toHours(), d.toMinutesPart(), d.toSecondsPart())
        : String.format("%dm%02ds", d.toMinutes(), d.toSecondsPart());
  }

  private static FakeCloud cloud(int peers) {
    FakeCloud cloud = FakeCloud.builder().latency(PROFILE).build();
    for (int i = 1; i <= peers; i++) {
      cloud.addPeerNetwork(peerVpc(i), "10." + i + ".0.0/16");
    }
    return cloud;
  }
}
