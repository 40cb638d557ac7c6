package dev.cloudpg.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;

final class ScaledTimeSource implements TimeSource {
  private final Instant start;
  private final double scale;
  private final long startNanos = System.nanoTime();

  ScaledTimeSource(Instant start, double scale) {
    if (!(scale > 0)) {
      throw new IllegalArgumentException("time scale must be positive: " + scale);
    }
    this.start = start;
    this.scale = scale;
  }

  @Override
  public Instant now() {
    return start.plusNanos((long) ((System.nanoTime() - startNanos) * scale));
  }

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    // parkNanos keeps sub-millisecond precision, which Thread.sleep rounds away; at a scale of 1000 a millisecond
    // is a simulated second.
    long deadline = System.nanoTime() + toReal(duration).toNanos();
    for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
      LockSupport.parkNanos(left);
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }

  @Override
  public Duration toReal(Duration duration) {
    return Duration.ofNanos((long) (duration.toNanos() / scale));
  }
}
