package dev.cloudpg.spi;

import java.util.Optional;

/** One poll of a wait: done with a value, still pending in some state, or failed for good. */
public final class Probe<T> {
  private final T value;
  private final String state;
  private final boolean failed;

  private Probe(T value, String state, boolean failed) {
    this.value = value;
    this.state = state;
    this.failed = failed;
  }

  public static <T> Probe<T> done(T value) {
    return new Probe<>(value, "done", false);
  }

  /** Not there yet; {@code state} is the resource's current state, shown in events and timeouts. */
  public static <T> Probe<T> pending(String state) {
    return new Probe<>(null, state, false);
  }

  /** The resource reached a state it will not leave; {@code reason} says why and what to check. */
  public static <T> Probe<T> failed(String reason) {
    return new Probe<>(null, reason, true);
  }

  public boolean isDone() {
    return !failed && value != null;
  }

  public boolean isFailed() {
    return failed;
  }

  public Optional<T> value() {
    return Optional.ofNullable(value);
  }

  public String state() {
    return state;
  }
}
