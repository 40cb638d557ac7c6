package dev.cloudpg;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * How the engine runs an apply or destroy: parallelism, retries, waits, pruning and the stack's lease. Immutable and
 * thread-safe; {@code withParallelism(..)} and the other {@code with} methods return a checked copy.
 *
 * <pre>{@code
 * ApplyOptions.builder().parallelism(4).build()
 * }</pre>
 */
@Value.Immutable
@SpecStyle
public abstract class ApplyOptions implements WithApplyOptions {
  /**
   * Calls to the cloud in flight at once (default 10). A step that is only waiting for its resource holds no slot,
   * so any number of independent branches wait together.
   *
   * @return the number of calls in flight at once, 1 to 64
   */
  @Value.Default
  public int parallelism() {
    return 10;
  }

  /**
   * Attempts per step for errors the provider calls transient, the first included (default 6).
   *
   * @return the attempts per step, at least 1
   */
  @Value.Default
  public int maxAttempts() {
    return 6;
  }

  /**
   * The first retry delay; later ones double, with jitter, up to {@link #maxRetryDelay()} (default 1 s).
   *
   * @return the first retry delay, positive
   */
  @Value.Default
  public Duration retryDelay() {
    return Duration.ofSeconds(1);
  }

  /**
   * The longest retry delay (default 30 s).
   *
   * @return the longest retry delay, at least {@link #retryDelay()}
   */
  @Value.Default
  public Duration maxRetryDelay() {
    return Duration.ofSeconds(30);
  }

  /**
   * Whether an apply deletes what the stack owns but its spec no longer names (default true): a removed peering, a
   * lowered instance count, and extra duplicates of a resource. With {@code false} they are kept and the plan lists
   * them as kept. Needs a provider that discovers what a stack owns.
   *
   * @return true if an apply deletes what the spec no longer names
   */
  @Value.Default
  public boolean prune() {
    return true;
  }

  /**
   * How long a run waits for another run of the same stack to release its lease before it fails with
   * {@link StackLockedException} (default 5 minutes).
   *
   * @return the longest wait for the lease, zero or more
   */
  @Value.Default
  public Duration leaseWait() {
    return Duration.ofMinutes(5);
  }

  /**
   * Takes the stack's lease even while another run holds it (default false): for an operator who knows that run is
   * gone and does not want to wait for its lease to expire.
   *
   * @return true if the run takes the lease from its holder
   */
  @Value.Default
  public boolean breakLease() {
    return false;
  }

  /**
   * The longest any single wait may last, overriding the provider's per-resource bound when shorter (the provider's
   * bounds apply when absent: minutes for network pieces, up to two hours for database instances).
   *
   * @return the bound on every wait, positive; empty for the provider's bounds
   */
  public abstract Optional<Duration> waitTimeout();

  /**
   * Checks the options when they are built.
   *
   * @throws InvalidSpecException naming the first option out of its range
   */
  @Value.Check
  protected void check() {
    if (parallelism() < 1 || parallelism() > 64) {
      throw new InvalidSpecException(List.of(
          new Violation("parallelism", String.valueOf(parallelism()), "must be between 1 and 64")));
    }
    waitTimeout().filter(t -> t.isNegative() || t.isZero()).ifPresent(t -> {
      throw new InvalidSpecException(List.of(new Violation("waitTimeout", t.toString(), "must be positive")));
    });
    if (retryDelay().isNegative() || retryDelay().isZero()) {
      throw new InvalidSpecException(List.of(
          new Violation("retryDelay", retryDelay().toString(), "must be positive")));
    }
    if (maxRetryDelay().compareTo(retryDelay()) < 0) {
      throw new InvalidSpecException(List.of(new Violation("maxRetryDelay", maxRetryDelay().toString(),
          "must be at least retryDelay (" + retryDelay() + ")")));
    }
    if (leaseWait().isNegative()) {
      throw new InvalidSpecException(List.of(new Violation("leaseWait", leaseWait().toString(),
          "must not be negative")));
    }
    if (maxAttempts() < 1) {
      throw new InvalidSpecException(List.of(
          new Violation("maxAttempts", String.valueOf(maxAttempts()), "must be at least 1")));
    }
  }

  /**
   * The defaults.
   *
   * @return options with every default
   */
  public static ApplyOptions defaults() {
    return builder().build();
  }

  /** Made by its builder only; the one subclass is the generated immutable implementation. */
  ApplyOptions() {}

  /**
   * A builder with the defaults above.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds {@link ApplyOptions}, starting from the defaults; {@code build()} throws {@link InvalidSpecException} naming
   * the first option out of its range. Not thread-safe.
   */
  public static final class Builder extends ImmutableApplyOptions.Builder {
    Builder() {}
  }
}
