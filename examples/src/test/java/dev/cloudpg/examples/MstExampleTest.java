package dev.cloudpg.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MstExampleTest {

  @Test
  void run_whenFake_printsTheSeventeenStepsReachesActiveAndDestroys() {
    PrintStream original = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    int status;
    try {
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      status = Examples.execute("mst", "--fake", "--time-scale", "1000", "--destroy");
    } finally {
      System.setOut(original);
    }
    String out = printed.toString(StandardCharsets.UTF_8);

    assertThat(status).isZero();
    for (String step : new String[] {"step 1:", "step 2:", "step 3:", "step 4:", "steps 5-6:", "step 7:", "step 8:",
        "step 9:", "steps 10-11:", "step 12:", "steps 13-15:", "step 16:", "step 17:"}) {
      assertThat(out).contains(step);
    }
    assertThat(out).contains("peering ", ": ACTIVE", "service endpoint: tsdb-demo.a.timescaledb.io:12345",
        "destroy of stack tsdb finished: 10 done").doesNotContain("postgres://");
  }

  @Test
  void run_whenFakeWithTwoVnetsThenTheFirstOnly_appliesBothPeeringsThenPrunesTheSecond() {
    Console run = Console.run("mst", "--fake", "--vnet", "App-VNet", "--vnet", "Reports-VNet", "--vnet-cidr",
        "10.1.0.0/16", "--vnet-cidr", "10.2.0.0/16", "--then-first-vnet-only");

    assertThat(run.status()).isZero();
    assertThat(run.out()).contains("made the application's VNet Reports-VNet (10.2.0.0/16)",
        "+ mst:peering-connection/app-2", "applying again with the first VNet only",
        "- mst:peering-connection/app-2", "- mst:vnet-peering/app-2", "no longer in the spec", "peering ", ": ACTIVE");
    assertThat(run.out().substring(run.out().indexOf("applying again"))).doesNotContain("+ mst:");
  }

  @Test
  void run_whenMoreVnetCidrsThanVnets_isRefusedNamingTheOption() {
    Console run = Console.run("mst", "--fake", "--vnet-cidr", "10.1.0.0/16", "--vnet-cidr", "10.2.0.0/16");

    assertThat(run.status()).isNotZero();
    assertThat(run.err()).contains("--vnet-cidr", "one --vnet-cidr per --vnet");
  }

  @Test
  void run_whenFakeWithGraph_writesThePlanAsMarkdownWithAMermaidBlockBeforeApplying(@TempDir Path dir)
      throws IOException {
    Path graph = dir.resolve("tsdb.md");

    Console run = Console.run("mst", "--fake", "--time-scale", "1000", "--graph", graph.toString());

    assertThat(run.status()).isZero();
    String md = Files.readString(graph);
    assertThat(md).startsWith("# Plan of stack `tsdb` on mst\n").contains("## Apply", "```text\n")
        .contains("```mermaid\nflowchart LR\n").contains(":::create").doesNotContain("## Destroy");
    int written = run.out().indexOf("plan written to " + graph);
    assertThat(written).isPositive().isLessThan(run.out().indexOf("step 1:"));
  }
}
