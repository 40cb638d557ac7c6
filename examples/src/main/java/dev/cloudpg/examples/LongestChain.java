package dev.cloudpg.examples;

import dev.cloudpg.Change;
import dev.cloudpg.Plan;
import dev.cloudpg.ResourceKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The longest chain of dependent steps of a plan, given each step's duration: the lower bound of any schedule, which
 * an apply that overlaps everything independent approaches.
 */
record LongestChain(Duration duration, List<ResourceKey> path) {
  static LongestChain of(Plan plan, Function<ResourceKey, Duration> stepDuration) {
    Map<ResourceKey, Duration> finish = new HashMap<>();
    Map<ResourceKey, ResourceKey> via = new HashMap<>();
    ResourceKey last = null;
    for (Change c : plan.changes()) {
      Duration start = Duration.ZERO;
      for (ResourceKey dep : c.dependsOn()) {
        if (finish.getOrDefault(dep, Duration.ZERO).compareTo(start) > 0) {
          start = finish.get(dep);
          via.put(c.resource(), dep);
        }
      }
      finish.put(c.resource(), start.plus(stepDuration.apply(c.resource())));
      if (last == null || finish.get(c.resource()).compareTo(finish.get(last)) > 0) {
        last = c.resource();
      }
    }
    List<ResourceKey> path = new ArrayList<>();
    for (ResourceKey k = last; k != null; k = via.get(k)) {
      path.add(0, k);
    }
    return new LongestChain(last == null ? Duration.ZERO : finish.get(last), path);
  }

  String describe() {
    return path.stream().map(ResourceKey::toString).reduce((a, b) -> a + " -> " + b).orElse("(empty)");
  }
}
