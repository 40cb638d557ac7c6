package dev.cloudpg.spi;

import java.time.Duration;
import java.time.Instant;

/**
 * The engine's clock. Waits, retry delays and event times all go through it, so that tests and fakes can run on
 * simulated time:
 *
 * <ul>
 *   <li>{@link #system()}: real time, for real clouds;
 *   <li>{@link #virtual(Instant)}: a {@link VirtualClock} that moves only when the engine has nothing to do but wait,
 *       jumping to the next due poll: runs repeat exactly and take only the CPU they need;
 *   <li>{@link #scaled(Instant, double)}: real time sped up, for demonstrations that should visibly take a while.
 * </ul>
 *
 * Implementations are thread-safe.
 */
public interface TimeSource {
  Instant now();

  /** Sleeps for a duration of this source's time. */
  void sleep(Duration duration) throws InterruptedException;

  /** How long a duration of this source's time lasts in real time. */
  default Duration toReal(Duration duration) {
    return duration;
  }

  /** Real time. */
  static TimeSource system() {
    return SystemTimeSource.INSTANCE;
  }

  /** A virtual clock starting at {@code start}. */
  static VirtualClock virtual(Instant start) {
    return new VirtualClock(start);
  }

  /**
   * Time that runs {@code scale} times faster than real time, starting now at {@code start}: {@code now()} is
   * {@code start} plus the real time since creation multiplied by {@code scale}.
   */
  static TimeSource scaled(Instant start, double scale) {
    return new ScaledTimeSource(start, scale);
  }
}
