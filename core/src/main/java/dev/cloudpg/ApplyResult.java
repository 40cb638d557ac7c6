package dev.cloudpg;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an apply or destroy did: resources done (in the order they finished), failed (with the cause, in the order
 * they failed) and skipped because something they depend on failed or the run stopped. {@code elapsed} is measured on the cloud's clock (simulated time on a fake).
 */
public record ApplyResult(List<ResourceKey> done, Map<ResourceKey, Throwable> failed, List<ResourceKey> skipped,
    Duration elapsed) {
  public ApplyResult {
    done = List.copyOf(done);
    failed = Collections.unmodifiableMap(new LinkedHashMap<>(failed));
    skipped = List.copyOf(skipped);
  }

  public boolean succeeded() {
    return failed.isEmpty() && skipped.isEmpty();
  }
}
