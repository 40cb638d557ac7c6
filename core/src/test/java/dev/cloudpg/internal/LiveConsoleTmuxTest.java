package dev.cloudpg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The live console view as a terminal shows it: {@link LiveConsoleDemo} in a tmux pane, captured while it runs. */
class LiveConsoleTmuxTest {
  private final String session = "cloudpg-" + UUID.randomUUID().toString().substring(0, 8);

  @BeforeEach
  void needsTmux() throws Exception {
    Assumptions.assumeTrue(run(List.of("tmux", "-V")).exitCode == 0, "tmux is not installed: the live view's "
        + "terminal test is skipped (install tmux to run it)");
  }

  @AfterEach
  void killSession() throws Exception {
    run(List.of("tmux", "kill-session", "-t", session));
  }

  @Test
  void console_whenOnATerminal_showsRunningStepsAndASummaryThenScrollsFinishedOnes() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String command = "env LANG=C.UTF-8 '" + java + "' -cp '" + System.getProperty("java.class.path") + "' "
        + LiveConsoleDemo.class.getName() + " 3000; sleep 30";
    assertThat(run(List.of("tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "30", command)).exitCode)
        .isZero();
    String during = awaitPane("waiting until ready: creating", Duration.ofSeconds(15));
    assertThat(during).contains("demo:vpc/db").contains("demo:cluster/orders")
        .contains("waiting until ready: creating").contains("0 done, 2 running, 0 failed");
    assertThat(during.lines().filter(l -> l.contains("demo:cluster/orders")).findFirst().orElseThrow())
        .matches("^\\S \\+ demo:cluster/orders  \\d+(ms|\\.\\ds)  waiting until ready: creating\\s*$");
    String after = awaitPane("demo over", Duration.ofSeconds(15));
    assertThat(after).contains("ok demo:vpc/db  created in 2.5s").contains("ok demo:cluster/orders  created in 2.8s")
        .contains("apply of stack demo finished").doesNotContain("running,");
    assertThat(after.lines().filter(l -> l.contains("demo:cluster/orders"))).hasSize(1);
  }

  private String awaitPane(String text, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    String pane = "";
    while (System.nanoTime() < deadline) {
      pane = run(List.of("tmux", "capture-pane", "-p", "-t", session)).output;
      if (pane.contains(text)) {
        return pane;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the pane never showed " + text + ":\n" + pane);
  }

  private record Result(int exitCode, String output) {}

  private static Result run(List<String> command) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      return new Result(127, e.getMessage());
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(p.waitFor(), out);
  }
}
