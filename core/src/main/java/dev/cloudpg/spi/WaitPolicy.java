package dev.cloudpg.spi;

import java.time.Duration;

/**
 * How a wait polls: the first delay, growing by {@code multiplier} up to {@code maxDelay}, each randomised by
 * {@code ±jitter} (a fraction), until {@code timeout}.
 */
public record WaitPolicy(Duration initialDelay, Duration maxDelay, double multiplier, double jitter,
    Duration timeout) {
  /** For resources ready in seconds to a few minutes: 2 s growing to 15 s, 30 minutes at most. */
  public static final WaitPolicy DEFAULT =
      new WaitPolicy(Duration.ofSeconds(2), Duration.ofSeconds(15), 1.5, 0.2, Duration.ofMinutes(30));

  public WaitPolicy {
    if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0 || multiplier < 1 || jitter < 0
        || jitter >= 1 || timeout.compareTo(Duration.ZERO) <= 0) {
      throw new IllegalArgumentException("inconsistent wait policy " + initialDelay + ".." + maxDelay + " x"
          + multiplier + " ±" + jitter + " within " + timeout);
    }
  }

  /** Polls from {@code initialDelay} up to {@code maxDelay}, growing by half each time, until {@code timeout}. */
  public static WaitPolicy of(Duration initialDelay, Duration maxDelay, Duration timeout) {
    return new WaitPolicy(initialDelay, maxDelay, 1.5, 0.2, timeout);
  }

  public WaitPolicy withTimeout(Duration newTimeout) {
    return new WaitPolicy(initialDelay, maxDelay, multiplier, jitter, newTimeout);
  }
}
