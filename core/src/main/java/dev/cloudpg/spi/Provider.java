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
