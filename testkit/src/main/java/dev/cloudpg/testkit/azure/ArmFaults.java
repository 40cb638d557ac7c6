package dev.cloudpg.testkit.azure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Errors to answer instead of the real thing, first registered first used, each a given number of times. */
final class ArmFaults {

  /** The status of a fault that lets the request take effect and drops its answer (the connection closes). */
  static final int LOSE_ANSWER = 0;

  /** A planned error; {@code retryAfter} is simulated time, or null for none. */
  record Fault(String method, Pattern path, int status, String code, String message, Duration retryAfter) { }

  private static final class Planned {
    final Fault fault;
    int remaining;

    Planned(Fault fault, int remaining) {
      this.fault = fault;
      this.remaining = remaining;
    }
  }

  private final List<Planned> planned = new ArrayList<>();

  synchronized void add(Fault fault, int times) {
    planned.add(new Planned(fault, times));
  }

  /** How many planned errors have not been used up yet. */
  synchronized int unused() {
    return planned.stream().mapToInt(p -> p.remaining).sum();
  }

  synchronized void clear() {
    planned.clear();
  }

  /** The first planned error matching the request, used up once. */
  synchronized Optional<Fault> next(String method, String path) {
    for (Iterator<Planned> it = planned.iterator(); it.hasNext(); ) {
      Planned p = it.next();
      if ((p.fault.method().equals("*") || p.fault.method().equalsIgnoreCase(method))
          && p.fault.path().matcher(path).find()) {
        if (--p.remaining <= 0) {
          it.remove();
        }
        return Optional.of(p.fault);
      }
    }
    return Optional.empty();
  }
}
