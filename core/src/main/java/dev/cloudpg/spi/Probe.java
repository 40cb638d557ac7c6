package dev.cloudpg.spi;

import java.util.Optional;

/**
 * One check of a change in progress: done (with a value, or none), still pending in some state, or failed for good.
 * Immutable and thread-safe.
 */
public final class Probe<T> {
  private enum Status { DONE, PENDING, FAILED }

  private final Status status;
  private final T value;
  private final String state;

  private Probe(Status status, T value, String state) {
    this.status = status;
    this.value = value;
    this.state = state;
  }

  /** The change is complete; {@code value} (which may be null) is its result. */
  public static <T> Probe<T> done(T value) {
    return new Probe<>(Status.DONE, value, "done");
  }

  /** The change is complete and has no result. */
  public static <T> Probe<T> done() {
    return new Probe<>(Status.DONE, null, "done");
  }

  /** Not there yet; {@code state} is the resource's current state, shown in events and timeouts. */
  public static <T> Probe<T> pending(String state) {
    return new Probe<>(Status.PENDING, null, state);
  }

  /** The resource reached a state it will not leave; {@code reason} says why and what to check. */
  public static <T> Probe<T> failed(String reason) {
    return new Probe<>(Status.FAILED, null, reason);
  }

  public boolean isDone() {
    return status == Status.DONE;
  }

  public boolean isFailed() {
    return status == Status.FAILED;
  }

  public boolean isPending() {
    return status == Status.PENDING;
  }

  public Optional<T> value() {
    return Optional.ofNullable(value);
  }

  /** The state a pending probe saw, or the reason a failed one gives. */
  public String state() {
    return state;
  }

  @Override
  public String toString() {
    return status.name().toLowerCase() + (status == Status.DONE ? "" : " (" + state + ")");
  }
}
