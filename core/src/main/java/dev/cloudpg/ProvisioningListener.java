package dev.cloudpg;

import dev.cloudpg.internal.Consoles;
import dev.cloudpg.internal.Slf4jListener;
import java.io.PrintStream;

/**
 * Receives every {@link ProvisioningEvent} of an apply or destroy, from the engine's worker threads; implementations
 * must be thread-safe and quick.
 */
@FunctionalInterface
public interface ProvisioningListener {
  void onEvent(ProvisioningEvent event);

  /**
   * Progress on standard output. On a terminal (with JLine on the class path: {@code org.jline:jline-terminal}), a
   * live view: the steps in progress with a spinner, their elapsed time and state, and a summary line
   * ({@code 12 done, 2 running, 0 failed, 4m10s}) stay at the bottom while finished steps scroll above. Otherwise, or
   * with the environment variable {@code CLOUDPG_CONSOLE=plain}, one line per transition prefixed with the run's
   * elapsed time, which never goes backwards.
   */
  static ProvisioningListener console() {
    return Consoles.standardOutput();
  }

  /** One line per transition on the given stream, prefixed with the run's elapsed time. */
  static ProvisioningListener console(PrintStream out) {
    return Consoles.lines(out);
  }

  /** One SLF4J line per transition on the logger {@code dev.cloudpg.engine}: the default. */
  static ProvisioningListener slf4j() {
    return Slf4jListener.INSTANCE;
  }

  /** Ignores every event. */
  static ProvisioningListener none() {
    return event -> { };
  }

  /** This listener, then the other. */
  default ProvisioningListener andThen(ProvisioningListener other) {
    return event -> {
      onEvent(event);
      other.onEvent(event);
    };
  }
}
