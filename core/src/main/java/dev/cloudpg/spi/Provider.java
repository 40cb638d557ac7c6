package dev.cloudpg.spi;

import dev.cloudpg.ProviderException;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.StackOutputs;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** A cloud behind the engine; see the package documentation for the contract. */
public interface Provider {
  /** The provider's short name, used as the first part of resource keys: {@code aws}. */
  String name();

  /** Adds the provider's own rules; makes no cloud call. The core rules have already passed. */
  default void validate(Stack stack, Violations violations) {}

  /** The concrete resources of the stack, each with its dependencies; keys must be unique and the graph acyclic. */
  List<Resource> expand(Stack stack);

  /**
   * The typed outputs of the stack from its resources' outputs; {@code outputs} gives a resource's outputs when it
   * exists.
   */
  StackOutputs outputs(Stack stack, Function<ResourceKey, Optional<Outputs>> outputs);

  /**
   * Maps an exception thrown by a step to the one the engine reports and classifies: SDK exceptions to
   * {@link ProviderException}. Returns other exceptions as they are.
   */
  default RuntimeException translate(RuntimeException e) {
    return e;
  }

  /** Whether a step that threw this (translated) exception may be tried again. */
  default boolean isRetryable(Throwable e) {
    return e instanceof ProviderException && ((ProviderException) e).retryable();
  }
}
