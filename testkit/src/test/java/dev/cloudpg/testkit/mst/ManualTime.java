package dev.cloudpg.testkit.mst;

import dev.cloudpg.spi.TimeSource;
import java.time.Duration;
import java.time.Instant;

/** A clock that moves only when a test says so, so that state changes happen exactly where the test expects. */
final class ManualTime implements TimeSource {
  private Instant now = Instant.parse("2030-01-01T00:00:00Z");

  @Override
  public synchronized Instant now() {
    return now;
  }

  @Override
  public synchronized void sleep(Duration duration) {
    now = now.plus(duration);
  }

  void advance(Duration duration) {
    sleep(duration);
  }
}
