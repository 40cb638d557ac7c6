package dev.cloudpg.spi;

import java.time.Duration;
import java.time.Instant;

/**
 * The engine's clock and sleeper. Waits, retry delays and event times all go through it, so that a fake can compress
 * time: a source with a time scale of 1000 makes a ten-minute wait last 0.6 s while every duration the engine reports
 * stays in simulated time.
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

  /**
   * Time that runs {@code scale} times faster than real time, starting now at {@code start}: {@code now()} is
   * {@code start} plus the real time since creation multiplied by {@code scale}.
   */
  static TimeSource scaled(Instant start, double scale) {
    return new ScaledTimeSource(start, scale);
  }
}
