package dev.cloudpg.examples;

import dev.cloudpg.Plan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --graph FILE}: the plans of a run as Markdown, each with its rendered table in a code block and its resource
 * graph ({@link Plan#toMermaid()}) in a {@code mermaid} block, which GitHub draws. The file is written again as each
 * plan is added, before that plan is applied.
 */
final class PlanGraph {
  private final Path file;
  private final String command;
  private final List<Plan> plans = new ArrayList<>();

  /** Plans written to {@code file}, or nowhere when it is null; {@code command} names the example in the text. */
  PlanGraph(Path file, String command) {
    this.file = file;
    this.command = command;
  }

  /** Writes {@code plan}, after those added before, unless no file was asked for. */
  void add(Plan plan) {
    if (file == null) {
      return;
    }
    plans.add(plan);
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, markdown(command, plans), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UserError("cannot write the plan to --graph " + file + ": " + e, e);
    }
    System.out.println("plan " + (plan.isDestroy() ? "(destroy) " : "") + "written to " + file
        + " as Markdown with a Mermaid graph");
  }

  /** The Markdown for {@code plans}, which are of one stack on one cloud. */
  static String markdown(String command, List<Plan> plans) {
    Plan first = plans.get(0);
    StringBuilder md = new StringBuilder()
        .append("# Plan of stack `").append(first.stack().name()).append("` on ").append(first.provider())
        .append("\n\n")
        .append("Written by `cloudpg-examples ").append(command).append("` before applying. GitHub draws the ")
        .append("`mermaid` block below; elsewhere, paste it into the Mermaid live editor, https://mermaid.live.\n");
    for (Plan plan : plans) {
      md.append("\n## ").append(plan.isDestroy() ? "Destroy" : "Apply").append("\n\n")
          .append("```text\n").append(withNewline(plan.render())).append("```\n\n")
          .append("```mermaid\n").append(withNewline(plan.toMermaid())).append("```\n");
    }
    return md.toString();
  }

  private static String withNewline(String text) {
    return text.endsWith("\n") ? text : text + "\n";
  }
}
