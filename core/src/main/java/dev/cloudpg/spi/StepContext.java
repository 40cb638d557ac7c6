package dev.cloudpg.spi;

import dev.cloudpg.DestroyOptions;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** What the engine gives a resource while it reads, creates, updates or deletes it. */
public interface StepContext {
  /** The resource being worked on. */
  ResourceKey key();

  Stack stack();

  /** The outputs of a dependency; throws {@link IllegalStateException} if it has none (a provider bug). */
  default Outputs outputsOf(ResourceKey dependency) {
    return findOutputs(dependency)
        .orElseThrow(() -> new IllegalStateException(key() + " needs the outputs of " + dependency));
  }

  /** The outputs of a resource of the stack, if it exists or was made in this run. */
  Optional<Outputs> findOutputs(ResourceKey resource);

  /**
   * The ownership tags every taggable resource carries: {@code cloudpg:stack}, {@code cloudpg:key}, plus the stack's
   * own tags.
   */
  Map<String, String> ownershipTags();

  /** The options of the destroy under way; the defaults outside a destroy. */
  DestroyOptions destroyOptions();

  TimeSource time();

  /**
   * Polls until the probe says done, sleeping between polls as the resource's {@link WaitPolicy} says (backoff with
   * jitter), reporting each new state as a waiting event. A poll that throws an error the provider calls transient
   * counts as one more pending poll, so that a throttled describe does not fail a long wait.
   *
   * @param awaited what is awaited, for events and errors: {@code "available"}
   * @throws dev.cloudpg.WaitTimedOutException when the policy's timeout passes first
   * @throws dev.cloudpg.CloudpgException with the probe's message when it says failed
   */
  <T> T await(String awaited, Supplier<Probe<T>> probe);

  /** Reports a remark worth showing to the user, such as a value the provider had to normalise. */
  void note(String message);
}
