package dev.cloudpg.internal;

import java.time.Duration;
import java.util.Locale;

/** Short human forms of durations: {@code 850ms}, {@code 12.3s}, {@code 4m05s}, {@code 1h02m}. */
public final class Durations {
  private Durations() {}

  public static String format(Duration d) {
    long millis = d.toMillis();
    if (millis < 1000) {
      return millis + "ms";
    }
    if (millis < 60_000) {
      return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
    }
    long seconds = d.getSeconds();
    if (seconds < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, (seconds % 3600) / 60);
  }

  /** A clock reading for progress lines: {@code 04:05} or {@code 1:02:03}. */
  public static String clock(Duration d) {
    long s = d.getSeconds();
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60)
        : String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
  }
}
