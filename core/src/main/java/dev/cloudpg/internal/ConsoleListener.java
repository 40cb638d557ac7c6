package dev.cloudpg.internal;

import dev.cloudpg.ProvisioningEvent;
import dev.cloudpg.ProvisioningListener;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;

/** Prints one line per transition, prefixed with the run's elapsed time. */
public final class ConsoleListener implements ProvisioningListener {
  private final PrintStream out;
  private Instant runStart;

  public ConsoleListener(PrintStream out) {
    this.out = out;
  }

  @Override
  public synchronized void onEvent(ProvisioningEvent e) {
    if (e.type() == ProvisioningEvent.Type.RUN_STARTED || runStart == null) {
      runStart = e.at();
    }
    String mark;
    switch (e.type()) {
      case STARTED:
        mark = e.action().map(a -> a.symbol()).orElse(">");
        break;
      case WAITING:
        mark = "..";
        break;
      case RETRYING:
        mark = "<>";
        break;
      case COMPLETED:
        mark = "ok";
        break;
      case FAILED:
        mark = "!!";
        break;
      case SKIPPED:
        mark = "--";
        break;
      case NOTE:
        mark = "**";
        break;
      default:
        mark = "==";
        break;
    }
    out.printf("[%s] %-2s %s%s%n", Durations.clock(Duration.between(runStart, e.at())), mark,
        e.resource().map(r -> r + "  ").orElse(""), e.message());
    out.flush();
  }
}
