package dev.cloudpg.spi;

import java.util.Optional;

/**
 * One check of a change in progress: done (with a value, or none), still pending in some state, or failed for good.
 * Immutable and thread-safe.
 *
 * @param <T> the type of a done probe's value: {@link Outputs} for {@link Resource#checkReady}, {@link Void} for
 *     {@link Resource#checkDeleted}
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

  /**
   * The change is complete; {@code value} (which may be null) is its result.
   *
   * @param <T> the value's type
   * @param value the result, or null for none
   * @return a done probe
   */
  public static <T> Probe<T> done(T value) {
    return new Probe<>(Status.DONE, value, "done");
  }

  /**
   * The change is complete and has no result.
   *
   * @param <T> the value's type
   * @return a done probe with no value
   */
  public static <T> Probe<T> done() {
    return new Probe<>(Status.DONE, null, "done");
  }

  /**
   * Not there yet; {@code state} is the resource's current state, shown in events and timeouts.
   *
   * @param <T> the value's type
   * @param state the resource's current state, as the cloud words it: {@code creating}
   * @return a pending probe
   */
  public static <T> Probe<T> pending(String state) {
    return new Probe<>(Status.PENDING, null, state);
  }

  /**
   * The resource reached a state it will not leave; {@code reason} says why and what to check.
   *
   * @param <T> the value's type
   * @param reason why the change failed and what to check, without secrets
   * @return a failed probe; the engine fails the step with the reason
   */
  public static <T> Probe<T> failed(String reason) {
    return new Probe<>(Status.FAILED, null, reason);
  }

  /**
   * Whether the change is complete.
   *
   * @return true for a done probe
   */
  public boolean isDone() {
    return status == Status.DONE;
  }

  /**
   * Whether the change failed for good.
   *
   * @return true for a failed probe
   */
  public boolean isFailed() {
    return status == Status.FAILED;
  }

  /**
   * Whether the change is still in progress.
   *
   * @return true for a pending probe
   */
  public boolean isPending() {
    return status == Status.PENDING;
  }

  /**
   * The result of a done probe.
   *
   * @return the value, or empty when there is none or the probe is not done
   */
  public Optional<T> value() {
    return Optional.ofNullable(value);
  }

  /**
   * The state a pending probe saw, or the reason a failed one gives.
   *
   * @return the state or reason; {@code done} for a done probe
   */
  public String state() {
    return state;
  }

  @Override
  public String toString() {
    return status.name().toLowerCase() + (status == Status.DONE ? "" : " (" + state + ")");
  }
}
