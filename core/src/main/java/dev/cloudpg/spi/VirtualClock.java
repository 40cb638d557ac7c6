package dev.cloudpg.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Simulated time that moves only when told to. The engine, given a virtual clock, makes its calls one at a time in a
 * fixed order and, when every step is waiting, jumps the clock to the next due poll; so the same inputs give the same
 * durations, events and event order on every run, and a fifteen-minute wait costs no real time. Fakes that simulate
 * provisioning durations (the testkit's {@code FakeCloud}, {@code FakeArm}, {@code FakeAiven}) can share the engine's
 * clock, so that their simulated figures are exact too.
 *
 * <p>{@link #sleep} advances the clock by the duration at once; it is meant for code that runs alone on the clock,
 * such as a test driving a fake directly. Thread-safe: the clock may be read from any thread, such as a fake server's.
 */
public final class VirtualClock implements TimeSource {
  private final AtomicReference<Instant> now;

  VirtualClock(Instant start) {
    this.now = new AtomicReference<>(Objects.requireNonNull(start, "start"));
  }

  @Override
  public Instant now() {
    return now.get();
  }

  /** Advances the clock by {@code duration}. */
  @Override
  public void sleep(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("cannot sleep a negative duration: " + duration);
    }
    now.updateAndGet(t -> t.plus(duration));
  }

  /**
   * Moves the clock to {@code instant}, if that is later than now; the clock never goes back.
   *
   * @param instant the instant to move to
   */
  public void advanceTo(Instant instant) {
    now.updateAndGet(t -> instant.isAfter(t) ? instant : t);
  }

  /** A virtual clock costs no real time. */
  @Override
  public Duration toReal(Duration duration) {
    return Duration.ZERO;
  }

  @Override
  public String toString() {
    return "virtual clock at " + now();
  }
}
