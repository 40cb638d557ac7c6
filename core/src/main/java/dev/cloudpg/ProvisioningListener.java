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
  /**
   * Receives one event. Called from the engine's threads, possibly from several at once: keep it thread-safe and quick.
   *
   * @param event the transition
   */
  void onEvent(ProvisioningEvent event);

  /**
   * Progress on standard output. On a terminal (with JLine on the class path: {@code org.jline:jline-terminal}), a
   * live view: the steps in progress with a spinner, their elapsed time and state, and a summary line
   * ({@code 12 done, 2 running, 0 failed, 4m10s}) stay at the bottom while finished steps scroll above. Otherwise, or
   * with the environment variable {@code CLOUDPG_CONSOLE=plain}, one line per transition prefixed with the run's
   * elapsed time, which never goes backwards.
   *
   * @return a listener printing to standard output
   */
  static ProvisioningListener console() {
    return Consoles.standardOutput();
  }

  /**
   * One line per transition on the given stream, prefixed with the run's elapsed time.
   *
   * @param out where to print; flushed after each line
   * @return a listener printing to {@code out}
   */
  static ProvisioningListener console(PrintStream out) {
    return Consoles.lines(out);
  }

  /**
   * One SLF4J line per transition on the logger {@code dev.cloudpg.engine}: the default. Waits are logged at debug,
   * retries at warn, failures at error, everything else at info.
   *
   * @return the shared SLF4J listener
   */
  static ProvisioningListener slf4j() {
    return Slf4jListener.INSTANCE;
  }

  /**
   * Ignores every event.
   *
   * @return a listener that does nothing
   */
  static ProvisioningListener none() {
    return event -> { };
  }

  /**
   * This listener, then the other.
   *
   * @param other the listener to call after this one, with each event
   * @return a listener calling both, in that order
   */
  default ProvisioningListener andThen(ProvisioningListener other) {
    return event -> {
      onEvent(event);
      other.onEvent(event);
    };
  }
}
