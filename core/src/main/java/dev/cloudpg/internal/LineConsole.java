package dev.cloudpg.internal;

import dev.cloudpg.ProvisioningEvent;
import dev.cloudpg.ProvisioningListener;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;

/**
 * Prints one line per transition, prefixed with the run's elapsed time: the console view off a terminal. Timestamps
 * never go backwards, although events from several threads can arrive slightly out of order.
 */
final class LineConsole implements ProvisioningListener {
  private final PrintStream out;
  private Instant runStart;
  private Instant latest;

  LineConsole(PrintStream out) {
    this.out = out;
  }

  @Override
  public synchronized void onEvent(ProvisioningEvent e) {
    if (e.type() == ProvisioningEvent.Type.RUN_STARTED || runStart == null) {
      runStart = e.at();
      latest = e.at();
    }
    if (e.at().isAfter(latest)) {
      latest = e.at();
    }
    out.printf("[%s] %-2s %s%s%n", Durations.clock(Duration.between(runStart, latest)), mark(e),
        e.resource().map(r -> r + "  ").orElse(""), e.message());
    out.flush();
  }

  /** The two-character mark of an event's kind. */
  static String mark(ProvisioningEvent e) {
    switch (e.type()) {
      case STARTED:
        return e.action().map(a -> a.symbol()).orElse(">");
      case WAITING:
        return "..";
      case RETRYING:
        return "<>";
      case COMPLETED:
        return "ok";
      case FAILED:
        return "!!";
      case SKIPPED:
        return "--";
      case NOTE:
        return "**";
      default:
        return "==";
    }
  }
}
