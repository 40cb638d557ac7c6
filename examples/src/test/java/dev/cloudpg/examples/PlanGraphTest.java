package dev.cloudpg.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudpg.DestroyOptions;
import dev.cloudpg.Network;
import dev.cloudpg.Plan;
import dev.cloudpg.Stack;
import dev.cloudpg.testkit.FakeCloud;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanGraphTest {
  private static final Stack STACK = Stack.builder().name("graph")
      .addNetworks(Network.builder().name("db").cidr("192.168.0.0/16").zones(2).build()).build();

  @Test
  void markdown_whenApplyAndDestroyPlans_givesEachItsTableAndMermaidBlock() {
    FakeCloud cloud = FakeCloud.builder().build();
    Plan apply = cloud.plan(STACK);
    Plan destroy = cloud.planDestroy(STACK, DestroyOptions.defaults());

    String md = PlanGraph.markdown("aks --fake", List.of(apply, destroy));

    assertThat(md).startsWith("# Plan of stack `graph` on fake\n")
        .contains("`cloudpg-examples aks --fake`", "https://mermaid.live")
        .contains("\n## Apply\n\n```text\n" + apply.render())
        .contains("```mermaid\n" + apply.toMermaid() + "```\n")
        .contains("\n## Destroy\n")
        .contains("```mermaid\n" + destroy.toMermaid() + "```\n");
    assertThat(md.split("```", -1)).hasSize(9);
  }

  @Test
  void add_whenFileInMissingDirectory_createsItBeforeApplying(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("plans/graph.md");

    new PlanGraph(file, "quickstart").add(FakeCloud.builder().build().plan(STACK));

    assertThat(Files.readString(file)).contains("## Apply", "```mermaid\nflowchart LR\n", "+ fake:network/db");
  }

  @Test
  void add_whenNoFileAsked_writesNothing(@TempDir Path dir) throws IOException {
    new PlanGraph(null, "quickstart").add(FakeCloud.builder().build().plan(STACK));

    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }
}
