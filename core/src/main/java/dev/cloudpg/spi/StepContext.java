package dev.cloudpg.spi;

import dev.cloudpg.DestroyOptions;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import java.util.Map;
import java.util.Optional;

/**
 * What the engine gives a resource while it reads it, starts a change or checks one. A context belongs to one call;
 * it is not to be kept.
 */
public interface StepContext {
  /**
   * The resource being worked on.
   *
   * @return its key
   */
  ResourceKey key();

  /**
   * The stack the resource belongs to, as planned.
   *
   * @return the stack
   */
  Stack stack();

  /**
   * The outputs of a dependency; throws {@link IllegalStateException} if it has none (a provider bug).
   *
   * @param dependency the key of one of the resource's dependencies
   * @return its outputs
   * @throws IllegalStateException if it has none: it does not exist (yet)
   */
  default Outputs outputsOf(ResourceKey dependency) {
    return findOutputs(dependency)
        .orElseThrow(() -> new IllegalStateException(key() + " needs the outputs of " + dependency));
  }

  /**
   * One output of a dependency: {@code ctx.get(network, VpcResource.VPC_ID)}.
   *
   * @param <T> the output's type
   * @param dependency the key of one of the resource's dependencies
   * @param output the handle the dependency's resource declares
   * @return the value
   * @throws IllegalStateException if the dependency has no outputs, or not this one
   */
  default <T> T get(ResourceKey dependency, Output<T> output) {
    return outputsOf(dependency).get(output);
  }

  /**
   * The outputs of a resource of the stack, if it exists or was made in this run.
   *
   * @param resource the key of a resource of the stack
   * @return its outputs, or empty when it does not exist
   */
  Optional<Outputs> findOutputs(ResourceKey resource);

  /**
   * The tags a taggable resource is made with: those the spec gives what it is made for (a network's, a database's, a
   * peering's), then the ownership tags every such resource carries, which win: the stack's own tags plus
   * {@link Ownership#STACK} and {@link Ownership#KEY}.
   *
   * @param specTags the spec's tags for what the resource is made for, possibly none
   * @return the tags to put on the resource, in a new mutable map
   */
  default Map<String, String> ownershipTags(Map<String, String> specTags) {
    Map<String, String> tags = new java.util.LinkedHashMap<>(specTags);
    tags.putAll(Ownership.tags(stack(), key()));
    return tags;
  }

  /**
   * What discovery found for this resource's key, when the provider discovers: the read should find the resource by
   * this id, never take the first of several matches. When discovery found several, this is the one the engine keeps
   * (the one in use); the others are deleted as duplicates.
   *
   * @return what discovery found under the key, or empty when it found nothing or the provider does not discover
   */
  Optional<Discovered> discovered();

  /**
   * The options of the destroy under way; the defaults outside a destroy.
   *
   * @return the destroy options
   */
  DestroyOptions destroyOptions();

  /**
   * The engine's clock, for timestamps (snapshot names). Nothing should sleep on it: the engine does the waiting.
   *
   * @return the clock
   */
  TimeSource time();

  /**
   * Reports a remark worth showing to the user, such as a value the provider had to normalise.
   *
   * @param message the remark, without secrets; sent as a {@code NOTE} event about this resource
   */
  void note(String message);
}
