package dev.cloudpg.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * How the engine treats a failed call, as the provider classifies it ({@link Provider#retry}). The engine is the only
 * layer that retries: provider clients make each request once.
 *
 * <ul>
 *   <li>{@link #never()}: the failure is final; the step fails.
 *   <li>{@link #transientError()}: throttling, a 5xx, a reset connection: retried with backoff up to
 *       {@link dev.cloudpg.ApplyOptions#maxAttempts()} attempts, while planning too.
 *   <li>{@link #propagation(Duration)}: the cloud has not yet caught up with a change this run made (a role
 *       assignment, a new principal): retried during an apply for up to {@code patience} since the step's first such
 *       failure. While planning nothing has just changed, so the engine gives up at once (a permission error).
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class Retry {
  private enum Kind { NEVER, TRANSIENT, PROPAGATION }

  private static final Retry NEVER = new Retry(Kind.NEVER, Duration.ZERO);
  private static final Retry TRANSIENT = new Retry(Kind.TRANSIENT, Duration.ZERO);

  private final Kind kind;
  private final Duration patience;

  private Retry(Kind kind, Duration patience) {
    this.kind = kind;
    this.patience = patience;
  }

  /**
   * The failure is final: the step fails at once.
   *
   * @return the shared instance
   */
  public static Retry never() {
    return NEVER;
  }

  /**
   * Throttling, a 5xx, a reset connection: retried with backoff up to {@link dev.cloudpg.ApplyOptions#maxAttempts()}
   * attempts, while planning too.
   *
   * @return the shared instance
   */
  public static Retry transientError() {
    return TRANSIENT;
  }

  /**
   * Retried during an apply while the step's first such failure is younger than {@code patience}.
   *
   * @param patience how long after the first such failure to keep trying, positive
   * @return the classification
   * @throws IllegalArgumentException if {@code patience} is zero or negative
   */
  public static Retry propagation(Duration patience) {
    if (Objects.requireNonNull(patience, "patience").compareTo(Duration.ZERO) <= 0) {
      throw new IllegalArgumentException("patience must be positive: " + patience);
    }
    return new Retry(Kind.PROPAGATION, patience);
  }

  /**
   * Whether the failure is final.
   *
   * @return true for {@link #never()}
   */
  public boolean isNever() {
    return kind == Kind.NEVER;
  }

  /**
   * Whether the failure is transient.
   *
   * @return true for {@link #transientError()}
   */
  public boolean isTransient() {
    return kind == Kind.TRANSIENT;
  }

  /**
   * Whether the cloud has yet to catch up with a change.
   *
   * @return true for {@link #propagation(Duration)}
   */
  public boolean isPropagation() {
    return kind == Kind.PROPAGATION;
  }

  /**
   * For {@link #propagation}, how long to keep trying; zero otherwise.
   *
   * @return the patience, or zero
   */
  public Duration patience() {
    return patience;
  }

  @Override
  public String toString() {
    return kind == Kind.PROPAGATION ? "propagation within " + patience : kind.name().toLowerCase();
  }
}
