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
  /**
   * The current time of this source.
   *
   * @return the current instant
   */
  Instant now();

  /**
   * Sleeps for a duration of this source's time.
   *
   * @param duration how long to sleep, in this source's time; zero returns at once
   * @throws InterruptedException if the thread is interrupted while it sleeps
   */
  void sleep(Duration duration) throws InterruptedException;

  /**
   * How long a duration of this source's time lasts in real time.
   *
   * @param duration a duration in this source's time
   * @return the same duration in real time; the default returns {@code duration} unchanged
   */
  default Duration toReal(Duration duration) {
    return duration;
  }

  /**
   * Real time.
   *
   * @return the system clock
   */
  static TimeSource system() {
    return SystemTimeSource.INSTANCE;
  }

  /**
   * A virtual clock starting at {@code start}.
   *
   * @param start the clock's first instant
   * @return a new virtual clock
   */
  static VirtualClock virtual(Instant start) {
    return new VirtualClock(start);
  }

  /**
   * Time that runs {@code scale} times faster than real time, starting now at {@code start}: {@code now()} is
   * {@code start} plus the real time since creation multiplied by {@code scale}.
   *
   * @param start the source's time when it is made
   * @param scale how many times faster than real time it runs, positive: 60 makes a real second a simulated minute
   * @return a new scaled source
   * @throws IllegalArgumentException if {@code scale} is not positive
   */
  static TimeSource scaled(Instant start, double scale) {
    return new ScaledTimeSource(start, scale);
  }
}
