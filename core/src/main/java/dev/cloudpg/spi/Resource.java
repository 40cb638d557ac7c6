package dev.cloudpg.spi;

import dev.cloudpg.ResourceKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** One concrete resource of a stack, as the engine plans, applies and destroys it. */
public interface Resource {
  ResourceKey key();

  /** The resources that must exist before this one, and whose outputs it may use. */
  List<ResourceKey> dependencies();

  /** The properties the spec asks for, as shown in a plan and compared with {@link Observed#properties()}. */
  Map<String, String> desired();

  /** The desired properties {@link #update} can change in place; a difference in any other one is refused. */
  default Set<String> updatable() {
    return Set.of();
  }

  /** How long and how often to poll while waiting for this resource. */
  default WaitPolicy waitPolicy() {
    return WaitPolicy.DEFAULT;
  }

  /** Finds the resource in the cloud; empty when it does not exist. */
  Optional<Observed> read(StepContext ctx);

  /** Creates the resource, waits until it is usable and returns its outputs; idempotent (see the package docs). */
  Outputs create(StepContext ctx);

  /** Changes the given properties (each in {@link #updatable()}) in place and returns the outputs. */
  default Outputs update(StepContext ctx, Observed current, Map<String, String> changes) {
    throw new UnsupportedOperationException(key() + " cannot be updated in place");
  }

  /** Deletes the owned resource and waits until it is gone. */
  void delete(StepContext ctx, Observed current);
}
