package dev.cloudpg.spi;

import dev.cloudpg.ResourceKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One concrete resource of a stack, as the engine plans, applies and destroys it. A resource says how to
 * <em>start</em> a change and how to <em>check</em> whether it is done; the engine owns the waiting in between
 * (polling on {@link #waitPolicy()}, on its clock, holding no thread) and the retries.
 *
 * <p>Implementations must be stateless between calls: everything a check needs comes from its arguments and the
 * cloud, so that any call can be repeated, and a run that died can be resumed by another process. They must be
 * thread-safe: the engine may call different resources, and reads of the same resource, from different threads.
 */
public interface Resource {
  /**
   * The resource's key: stable, derived from the spec, unique within the stack.
   *
   * @return the key
   */
  ResourceKey key();

  /**
   * The resources that must exist before this one, and whose outputs it may use.
   *
   * @return the keys of other resources of the same expansion
   */
  List<ResourceKey> dependencies();

  /**
   * The properties the spec asks for, as shown in a plan. The engine compares each with the property of the same
   * name in {@link Observed#properties()}, as strings, and only those {@code read} reports: a desired property that
   * {@code read} leaves out is never compared (use that for what the cloud does not echo back). Secrets belong in
   * neither.
   *
   * @return the desired properties by name
   */
  Map<String, String> desired();

  /**
   * The desired properties {@link #update} can change in place; a difference in any other one is refused.
   *
   * @return the names of the updatable properties; none by default
   */
  default Set<String> updatable() {
    return Set.of();
  }

  /**
   * The desired properties whose change the engine plans as a {@link dev.cloudpg.ChangeAction#REPLACE}: for
   * resources that carry no data (a peering connection, a route, a firewall rule). The engine calls {@link #create}
   * for the new one (and polls {@link #checkReady}) while the old one stays, then {@link #update} on each resource
   * that depends on it directly (with the changes that differ, possibly none: it converges on the new outputs), then
   * {@link #delete} and {@link #checkDeleted} with the old one as read while planning. A difference in a property
   * that is neither updatable nor replaceable is refused.
   *
   * @return the names of the properties whose change replaces the resource; none by default
   */
  default Set<String> replaceable() {
    return Set.of();
  }

  /**
   * For a resource that can be {@link #replaceable() replaced}: the new one an earlier attempt of this run made
   * while replacing {@code old}, when that attempt failed after reaching the cloud (an answer lost, a timeout), so
   * that the engine uses it instead of making another. The engine calls it only before it sends a replacement's
   * create again, when {@link #read} still answers the old one, as it must for the plan. A resource whose create can
   * leave a second one behind (no idempotency token, no deterministic name) looks for it here.
   *
   * @param ctx the step's context
   * @param old the resource being replaced, as read while planning
   * @return the replacement, owned by the stack, or empty when there is none; empty by default
   */
  default Optional<Observed> readReplacement(StepContext ctx, Observed old) {
    return Optional.empty();
  }

  /**
   * How long and how often the engine polls this resource's checks.
   *
   * @return the policy; {@link WaitPolicy#DEFAULT} by default
   */
  default WaitPolicy waitPolicy() {
    return WaitPolicy.DEFAULT;
  }

  /**
   * Finds the resource in the cloud; empty when it does not exist. Uses the outputs of its dependencies, which were
   * read first; it is not called when a dependency is absent or foreign. It changes nothing.
   *
   * @param ctx the context of this call
   * @return what was found, owned or foreign, or empty when nothing is there
   */
  Optional<Observed> read(StepContext ctx);

  /**
   * Starts creating the resource: sends the request(s) and returns at once, without waiting, the outputs known now
   * (at least what {@link #checkReady} needs, such as the new id). When the engine retries a failed create it first
   * calls {@link #read}, and adopts an owned resource it finds instead of calling {@code create} again, so a
   * request whose answer was lost is never resent blindly.
   *
   * @param ctx the context of this call
   * @return the outputs known once the request is accepted
   */
  Outputs create(StepContext ctx);

  /**
   * Whether the change that {@link #create} or {@link #update} started is complete: done with the resource's full
   * outputs, pending with its current state, or failed. The engine calls it after each delay of the wait policy
   * until done. It may take the next idempotent step of a change made of several (accept a peering once it is
   * pending acceptance, say), deciding from what it reads, never from memory. {@code started} is what create or
   * update returned, or what {@code read} found when the engine adopted an existing resource. The default is done
   * with {@code started}: for resources usable as soon as the request returns.
   *
   * @param ctx the context of this call
   * @param started the outputs create or update returned, or those read from an adopted resource
   * @return done with the full outputs (or with none, to keep {@code started}), pending with the current state, or
   *     failed with the reason
   */
  default Probe<Outputs> checkReady(StepContext ctx, Outputs started) {
    return Probe.done(started);
  }

  /**
   * Starts changing the given properties (each in {@link #updatable()}) in place, returning at once; the engine
   * then polls {@link #checkReady}. Called again after a transient failure, so it must be idempotent.
   *
   * @param ctx the context of this call
   * @param current the resource as read while planning
   * @param changes the desired values of the properties that differ
   * @return the outputs known once the request is accepted
   * @throws UnsupportedOperationException by default, for resources that cannot change in place
   */
  default Outputs update(StepContext ctx, Observed current, Map<String, String> changes) {
    throw new UnsupportedOperationException(key() + " cannot be updated in place");
  }

  /**
   * Starts deleting the owned resource, returning at once; never called for foreign ones. Called again after a
   * transient failure, so a resource that is already gone or going must not fail it.
   *
   * @param ctx the context of this call; {@link StepContext#destroyOptions()} says whether to skip final snapshots
   * @param current the resource as read while planning
   */
  void delete(StepContext ctx, Observed current);

  /**
   * Whether the resource {@link #delete} started to delete is gone. The default is done at once.
   *
   * @param ctx the context of this call
   * @param current the resource as read while planning
   * @return done when it is gone, pending with its current state, or failed with the reason
   */
  default Probe<Void> checkDeleted(StepContext ctx, Observed current) {
    return Probe.done();
  }
}
