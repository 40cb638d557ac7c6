package dev.cloudpg.spi;

import java.time.Duration;

/**
 * How a wait polls: the first delay, growing by {@code multiplier} up to {@code maxDelay}, each randomised by
 * {@code ±jitter} (a fraction), until {@code timeout}. The first check comes as soon as the change has started, the
 * delays come between checks. Immutable and thread-safe.
 *
 * @param initialDelay the first delay between checks, zero or more
 * @param maxDelay the longest delay between checks, at least {@code initialDelay}
 * @param multiplier the factor each delay grows by, at least 1
 * @param jitter the fraction by which each delay is randomised either way, from 0 up to (excluding) 1
 * @param timeout how long the wait may last in all before the step fails with
 *     {@link dev.cloudpg.WaitTimedOutException}, positive
 */
public record WaitPolicy(Duration initialDelay, Duration maxDelay, double multiplier, double jitter,
    Duration timeout) {
  /** For resources ready in seconds to a few minutes: 2 s growing to 15 s, 30 minutes at most. */
  public static final WaitPolicy DEFAULT =
      new WaitPolicy(Duration.ofSeconds(2), Duration.ofSeconds(15), 1.5, 0.2, Duration.ofMinutes(30));

  /**
   * Checks the policy.
   *
   * @param initialDelay the first delay between checks, zero or more
   * @param maxDelay the longest delay between checks, at least {@code initialDelay}
   * @param multiplier the factor each delay grows by, at least 1
   * @param jitter the fraction by which each delay is randomised either way, from 0 up to (excluding) 1
   * @param timeout how long the wait may last in all, positive
   * @throws IllegalArgumentException if the values are out of these bounds
   */
  public WaitPolicy {
    if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0 || multiplier < 1 || jitter < 0
        || jitter >= 1 || timeout.compareTo(Duration.ZERO) <= 0) {
      throw new IllegalArgumentException("inconsistent wait policy " + initialDelay + ".." + maxDelay + " x"
          + multiplier + " ±" + jitter + " within " + timeout);
    }
  }

  /**
   * Polls from {@code initialDelay} up to {@code maxDelay}, growing by half each time, until {@code timeout}.
   *
   * @param initialDelay the first delay between checks, zero or more
   * @param maxDelay the longest delay between checks, at least {@code initialDelay}
   * @param timeout how long the wait may last in all, positive
   * @return the policy, with a multiplier of 1.5 and a jitter of 0.2
   * @throws IllegalArgumentException if the values are out of these bounds
   */
  public static WaitPolicy of(Duration initialDelay, Duration maxDelay, Duration timeout) {
    return new WaitPolicy(initialDelay, maxDelay, 1.5, 0.2, timeout);
  }

  /**
   * This policy with another timeout.
   *
   * @param newTimeout how long the wait may last in all, positive
   * @return the new policy
   * @throws IllegalArgumentException if {@code newTimeout} is not positive
   */
  public WaitPolicy withTimeout(Duration newTimeout) {
    return new WaitPolicy(initialDelay, maxDelay, multiplier, jitter, newTimeout);
  }
}
