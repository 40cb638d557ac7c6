package dev.cloudpg.mst.internal;

import dev.cloudpg.spi.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Simulated time that moves only by sleeps and {@link #advance}, and remembers every sleep. */
final class RecordingTime implements TimeSource {
  private Instant now = Instant.parse("2030-01-01T00:00:00Z");
  private final List<Duration> sleeps = new ArrayList<>();

  @Override
  public synchronized Instant now() {
    return now;
  }

  @Override
  public synchronized void sleep(Duration duration) {
    sleeps.add(duration);
    now = now.plus(duration);
  }

  synchronized void advance(Duration duration) {
    now = now.plus(duration);
  }

  synchronized List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }
}
