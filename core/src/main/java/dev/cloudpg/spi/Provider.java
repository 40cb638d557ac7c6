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
  /**
   * The provider's short name, used as the first part of resource keys: {@code aws}.
   *
   * @return the name, the same on every call
   */
  String name();

  /**
   * Adds the provider's own rules; makes no cloud call. The core rules have already passed. Called once per plan. The
   * default adds nothing.
   *
   * @param stack the stack to check, valid by the core's rules
   * @param violations where to add each problem, with its path in the spec; the engine throws the
   *     {@link dev.cloudpg.InvalidSpecException} listing them all
   */
  default void validate(Stack stack, Violations violations) {}

  /**
   * Checks, by reading the cloud and changing nothing, what the spec refers to outside the stack (a peer network, the
   * route tables a filter selects), so that a reference to nothing fails the plan before any change rather than the
   * apply halfway. Called while planning an apply, after {@link #validate} and before any resource is read; not for a
   * destroy, which must work when the referenced things are gone. Transient failures are retried like reads. The
   * default checks nothing.
   *
   * @param stack the validated stack
   * @param violations where to add each reference that finds nothing, with its path in the spec; the engine throws
   *     the {@link dev.cloudpg.InvalidSpecException} listing them all
   */
  default void checkReferences(Stack stack, Violations violations) {}

  /**
   * Remarks the plan of an apply shows ({@link dev.cloudpg.Plan#notes()}) about how the provider makes the stack: a
   * default it chose, a fallback it took. May read the cloud; changes nothing; must not fail for want of an answer
   * (say so in the remark instead). Called after {@link #checkReferences}. The default has none.
   *
   * @param stack the validated stack
   * @return the remarks, without secrets; empty when there are none
   */
  default List<String> notes(Stack stack) {
    return List.of();
  }

  /**
   * The concrete resources of the stack, each with its dependencies; keys must be unique and the graph acyclic.
   * Called once per plan, after {@link #validate}; it makes no cloud call.
   *
   * @param stack the validated stack
   * @return the resources, each dependency among them; the engine orders them
   */
  List<Resource> expand(Stack stack);

  /**
   * Lists every resource in the cloud that carries the stack's ownership marks, in as few calls as the cloud allows
   * (by tag across the region, the stack's resource group, a label selector): its cost must grow with the stack's
   * resources, not with the region's. Empty when the provider cannot discover; the engine then sees only what the
   * spec names. With discovery the engine plans deletions of owned resources the spec no longer names, resolves
   * duplicates of one key, hands each resource's read the one it chose ({@link StepContext#discovered()}), and ends
   * a destroy with a discovery that must find nothing. The default cannot discover.
   *
   * @param stack the stack whose resources to find
   * @return everything found, possibly nothing; empty when the provider cannot discover
   */
  default Optional<List<Discovered>> discover(Stack stack) {
    return Optional.empty();
  }

  /**
   * A resource that reads (by {@link StepContext#discovered()}) and deletes what discovery found under a key the spec
   * no longer names, or an extra duplicate. Its dependencies name the keys of what it hangs off (a route its
   * peering), so that deletions run in reverse order. Called only when {@link #discover} returned something.
   *
   * @param stack the stack being planned
   * @param found what discovery found
   * @return a resource whose {@code read} finds {@code found} and whose {@code delete} removes it
   * @throws UnsupportedOperationException by default: a provider that discovers must override this
   */
  default Resource orphan(Stack stack, Discovered found) {
    throw new UnsupportedOperationException(name() + " discovers but cannot remove " + found);
  }

  /**
   * Whether a destroy keeps this on purpose (a backup kept unless told otherwise), so its final check ignores it. The
   * default keeps nothing.
   *
   * @param found what the discovery that ends a destroy found
   * @param options the destroy's options
   * @return true if the destroy leaves {@code found} on purpose
   */
  default boolean keptOnDestroy(Discovered found, dev.cloudpg.DestroyOptions options) {
    return false;
  }

  /**
   * Whether an apply keeps this on purpose although the spec no longer names it, or another resource of its key is
   * the one kept (the backups of a removed database): it is then no change of the plan, which says why in a note, so
   * that a stack whose spec is met plans no change. A destroy still decides by {@link #keptOnDestroy}. The default
   * keeps nothing.
   *
   * @param found what discovery found that the spec no longer names, or a duplicate
   * @return why it is kept, for the plan's note; empty when an apply removes it
   */
  default Optional<String> keptOnPrune(Discovered found) {
    return Optional.empty();
  }

  /**
   * Where this cloud keeps stacks' leases, so that two runs of one stack never overlap, on one machine or many; empty
   * when it keeps none (runs are then serialised only within one {@code Cloud} object). The default keeps none.
   *
   * @return the lease store, or empty
   */
  default Optional<LeaseStore> leases() {
    return Optional.empty();
  }

  /**
   * The stacks this cloud holds (region, subscription or project), from discovery; empty when it cannot tell.
   *
   * @return a summary of each stack found; the default returns none
   */
  default List<dev.cloudpg.StackSummary> stacks() {
    return List.of();
  }

  /**
   * The typed outputs of the stack from its resources' outputs; {@code outputs} gives a resource's outputs when it
   * exists.
   *
   * @param stack the stack
   * @param outputs the outputs of a resource of the stack by its key, empty when it does not exist
   * @return the stack's outputs, leaving out what does not exist
   */
  StackOutputs outputs(Stack stack, Function<ResourceKey, Optional<Outputs>> outputs);

  /**
   * Maps an exception thrown by a resource's call to the one the engine reports and classifies: SDK exceptions to
   * {@link ProviderException}. Returns other exceptions as they are. The engine calls it exactly once per failed call,
   * so it need not be idempotent, but it may be given an exception it translated before (it should return it as it
   * is).
   *
   * @param e what a resource's call threw
   * @return the exception to report and classify; the default returns {@code e}
   */
  default RuntimeException translate(RuntimeException e) {
    return e;
  }

  /**
   * How the engine treats a (translated) failure; see {@link Retry}. The default retries a {@link ProviderException}
   * whose {@code retryable()} is true as a transient error, and nothing else.
   *
   * @param e a failure, as {@link #translate} returned it
   * @return how to treat it
   */
  default Retry retry(Throwable e) {
    return e instanceof ProviderException && ((ProviderException) e).retryable() ? Retry.transientError()
        : Retry.never();
  }
}
