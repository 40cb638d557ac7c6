package dev.cloudpg;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an apply or destroy did: resources done (in the order they finished), failed (with the cause, in the order
 * they failed) and skipped because something they depend on failed or the run stopped. {@code elapsed} is measured on
 * the cloud's clock (simulated time on a fake). Immutable; the collections are unmodifiable copies.
 *
 * @param done the resources created, updated or deleted, in the order they finished
 * @param failed the resources whose change failed for good, each with its cause, in the order they failed
 * @param skipped the resources whose change was not started
 * @param elapsed how long the run took, on the cloud's clock
 */
public record ApplyResult(List<ResourceKey> done, Map<ResourceKey, Throwable> failed, List<ResourceKey> skipped,
    Duration elapsed) {
  /**
   * Makes a result, copying the collections.
   *
   * @param done the resources created, updated or deleted, in the order they finished
   * @param failed the resources whose change failed for good, each with its cause, in the order they failed
   * @param skipped the resources whose change was not started
   * @param elapsed how long the run took, on the cloud's clock
   */
  public ApplyResult {
    done = List.copyOf(done);
    failed = Collections.unmodifiableMap(new LinkedHashMap<>(failed));
    skipped = List.copyOf(skipped);
  }

  /**
   * Whether the run did everything it planned.
   *
   * @return true if nothing failed and nothing was skipped
   */
  public boolean succeeded() {
    return failed.isEmpty() && skipped.isEmpty();
  }
}
