package dev.cloudpg;

import dev.cloudpg.internal.ConsoleListener;
import dev.cloudpg.internal.Slf4jListener;
import java.io.PrintStream;

/**
 * Receives every {@link ProvisioningEvent} of an apply or destroy, from the engine's worker threads; implementations
 * must be thread-safe and quick.
 */
@FunctionalInterface
public interface ProvisioningListener {
  void onEvent(ProvisioningEvent event);

  /** Live progress on standard output: one line per transition, with the elapsed time of the run and the step. */
  static ProvisioningListener console() {
    return new ConsoleListener(System.out);
  }

  /** Live progress on the given stream. */
  static ProvisioningListener console(PrintStream out) {
    return new ConsoleListener(out);
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
