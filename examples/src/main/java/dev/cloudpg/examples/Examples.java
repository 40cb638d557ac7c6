package dev.cloudpg.examples;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The entry point of {@code cloudpg-examples.jar}: the first argument picks an example, the rest go to it.
 *
 * <pre>
 * java -jar examples/target/cloudpg-examples.jar quickstart
 * java -jar examples/target/cloudpg-examples.jar --help
 * </pre>
 */
public final class Examples {
  /** An example: what it does and how to run it. */
  interface Example {
    int run(String[] args) throws Exception;
  }

  private record Entry(String usage, String description, Example example) {}

  private static final Map<String, Entry> EXAMPLES = new LinkedHashMap<>();

  static {
    EXAMPLES.put("quickstart", new Entry("quickstart",
        "the whole lifecycle of a stack against the in-memory FakeCloud: no credentials, no cloud",
        Quickstart::run));
    EXAMPLES.put("aurora", new Entry(AuroraExample.USAGE,
        "procedure A on AWS: VPC, Aurora PostgreSQL with 2 instances, peering with the application VPC",
        AuroraExample::run));
    EXAMPLES.put("aks", new Entry(AksExample.USAGE,
        "procedure B on Azure: the AKS platform for CloudNativePG and a 3-instance cluster (--fake: in process)",
        AksExample::run));
    EXAMPLES.put("mst", new Entry(MstExample.USAGE,
        "procedure C: TimescaleDB on MST peered with an Azure VNet, its 17 steps printed (--fake: in process)",
        MstExample::run));
    EXAMPLES.put("bench", new Entry("bench [fake | aws [--endpoint URL] | azure]",
        "fake: how far independent branches overlap; aws: API calls per apply, re-apply and destroy on moto; "
            + "azure: procedure B's apply time, parallel vs one step at a time",
        Examples::bench));
  }

  private Examples() {}

  private static int bench(String[] args) throws Exception {
    String[] rest = args.length > 0 ? Arrays.copyOfRange(args, 1, args.length) : args;
    if (args.length > 0 && args[0].equals("aws")) {
      return AwsBench.run(rest);
    }
    if (args.length > 0 && args[0].equals("azure")) {
      return AzureBench.run(rest);
    }
    return Bench.run(args);
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
      usage();
      System.exit(args.length == 0 ? 2 : 0);
    }
    Entry entry = EXAMPLES.get(args[0]);
    if (entry == null) {
      System.err.println("unknown example: " + args[0]);
      usage();
      System.exit(2);
    }
    System.exit(entry.example().run(Arrays.copyOfRange(args, 1, args.length)));
  }

  private static void usage() {
    System.out.println("usage: java -jar cloudpg-examples.jar <example> [options]\n\nexamples:");
    EXAMPLES.values().forEach(e -> System.out.printf("  %-60s %s%n", e.usage(), e.description()));
  }
}
