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

  public static Retry never() {
    return NEVER;
  }

  public static Retry transientError() {
    return TRANSIENT;
  }

  /** Retried during an apply while the step's first such failure is younger than {@code patience}. */
  public static Retry propagation(Duration patience) {
    if (Objects.requireNonNull(patience, "patience").compareTo(Duration.ZERO) <= 0) {
      throw new IllegalArgumentException("patience must be positive: " + patience);
    }
    return new Retry(Kind.PROPAGATION, patience);
  }

  public boolean isNever() {
    return kind == Kind.NEVER;
  }

  public boolean isTransient() {
    return kind == Kind.TRANSIENT;
  }

  public boolean isPropagation() {
    return kind == Kind.PROPAGATION;
  }

  /** For {@link #propagation}, how long to keep trying; zero otherwise. */
  public Duration patience() {
    return patience;
  }

  @Override
  public String toString() {
    return kind == Kind.PROPAGATION ? "propagation within " + patience : kind.name().toLowerCase();
  }
}
