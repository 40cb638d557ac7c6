package dev.cloudpg.spi;

import dev.cloudpg.ProviderException;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.StackOutputs;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** A cloud behind the engine; see the package documentation for the contract. Implementations are thread-safe. */
public interface Provider {
  /** The provider's short name, used as the first part of resource keys: {@code aws}. */
  String name();

  /**
   * Adds the provider's own rules; makes no cloud call. The core rules have already passed. Called once per plan.
   */
  default void validate(Stack stack, Violations violations) {}

  /**
   * The concrete resources of the stack, each with its dependencies; keys must be unique and the graph acyclic.
   * Called once per plan, after {@link #validate}; it makes no cloud call.
   */
  List<Resource> expand(Stack stack);

  /**
   * Lists every resource in the cloud that carries the stack's ownership marks, in as few calls as the cloud allows
   * (by tag across the region, the stack's resource group, a label selector): its cost must grow with the stack's
   * resources, not with the region's. Empty when the provider cannot discover; the engine then sees only what the
   * spec names. With discovery the engine plans deletions of owned resources the spec no longer names, resolves
   * duplicates of one key, hands each resource's read the one it chose ({@link StepContext#discovered()}), and ends
   * a destroy with a discovery that must find nothing.
   */
  default Optional<List<Discovered>> discover(Stack stack) {
    return Optional.empty();
  }

  /**
   * A resource that reads (by {@link StepContext#discovered()}) and deletes what discovery found under a key the spec
   * no longer names, or an extra duplicate. Its dependencies name the keys of what it hangs off (a route its
   * peering), so that deletions run in reverse order. Called only when {@link #discover} returned something.
   */
  default Resource orphan(Stack stack, Discovered found) {
    throw new UnsupportedOperationException(name() + " discovers but cannot remove " + found);
  }

  /** Whether a destroy keeps this on purpose (a backup kept unless told otherwise), so its final check ignores it. */
  default boolean keptOnDestroy(Discovered found, dev.cloudpg.DestroyOptions options) {
    return false;
  }

  /**
   * Where this cloud keeps stacks' leases, so that two runs of one stack never overlap, on one machine or many; empty
   * when it keeps none (runs are then serialised only within one {@code Cloud} object).
   */
  default Optional<LeaseStore> leases() {
    return Optional.empty();
  }

  /** The stacks this cloud holds (region, subscription or project), from discovery; empty when it cannot tell. */
  default List<dev.cloudpg.StackSummary> stacks() {
    return List.of();
  }

  /**
   * The typed outputs of the stack from its resources' outputs; {@code outputs} gives a resource's outputs when it
   * exists.
   */
  StackOutputs outputs(Stack stack, Function<ResourceKey, Optional<Outputs>> outputs);

  /**
   * Maps an exception thrown by a resource's call to the one the engine reports and classifies: SDK exceptions to
   * {@link ProviderException}. Returns other exceptions as they are. The engine calls it exactly once per failed call,
   * so it need not be idempotent, but it may be given an exception it translated before (it should return it as it
   * is).
   */
  default RuntimeException translate(RuntimeException e) {
    return e;
  }

  /**
   * How the engine treats a (translated) failure; see {@link Retry}. The default retries a {@link ProviderException}
   * whose {@code retryable()} is true as a transient error, and nothing else.
   */
  default Retry retry(Throwable e) {
    return e instanceof ProviderException && ((ProviderException) e).retryable() ? Retry.transientError()
        : Retry.never();
  }
}
