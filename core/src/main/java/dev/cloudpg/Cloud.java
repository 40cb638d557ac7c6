package dev.cloudpg;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A place to provision stacks: AWS, Azure, Aiven, or the testkit's {@code FakeCloud}. Every method validates the stack
 * first and makes no cloud call when it is invalid.
 *
 * <pre>{@code
 * Plan plan = cloud.plan(stack);                       // reads, changes nothing
 * System.out.println(plan.render());
 * StackOutputs out = cloud.apply(plan, ProvisioningListener.console());
 * cloud.destroy(stack);                                // owned resources only
 * }</pre>
 *
 * <p>Methods that do not take a listener log progress through SLF4J ({@link ProvisioningListener#slf4j()}); those that
 * do not take options use {@link ApplyOptions#defaults()} or {@link DestroyOptions#defaults()}. Runs of the same stack
 * never overlap, within one {@code Cloud} object and, when the provider keeps leases in the cloud, across processes: a
 * run waits up to {@link ApplyOptions#leaseWait()} for another to finish, so one cloud may be shared between threads.
 *
 * <p>Apart from the exceptions each method lists, an interrupted run throws a {@link CloudpgException} saying what was
 * done (applying again resumes), and a read that fails for good while planning throws its {@link ProviderException} (or
 * another {@link CloudpgException}).
 */
public interface Cloud extends AutoCloseable {
  /**
   * The provider's name: {@code aws}, {@code azure}, {@code mst} or {@code fake}, the first part of every
   * {@link ResourceKey} this cloud makes.
   *
   * @return the provider's name
   */
  String provider();

  /**
   * Reads the cloud and decides what applying the stack would do, with the default options, logging retried reads
   * through SLF4J. Changes nothing.
   *
   * @param stack the stack to plan
   * @return the plan, to inspect or to pass to {@link #apply(Plan)}
   * @throws InvalidSpecException if the stack breaks a rule of the core or the provider
   * @throws ConflictException if a resource with the stack's name exists and is not the stack's, or a change would
   *     need a resource replaced
   * @throws DeletionProtectedException if the plan would prune a resource whose deletion protection is on
   */
  default Plan plan(Stack stack) {
    return plan(stack, ProvisioningListener.slf4j(), ApplyOptions.defaults());
  }

  /**
   * Plans the stack with the default options, reporting retried reads (throttling, say) to {@code listener}. Changes
   * nothing.
   *
   * @param stack the stack to plan
   * @param listener receives a {@code RETRYING} event for each retried read
   * @return the plan, to inspect or to pass to {@link #apply(Plan)}
   * @throws InvalidSpecException if the stack breaks a rule of the core or the provider
   * @throws ConflictException if a resource with the stack's name exists and is not the stack's, or a change would need
   *     a resource replaced
   * @throws DeletionProtectedException if the plan would prune a resource whose deletion protection is on
   */
  default Plan plan(Stack stack, ProvisioningListener listener) {
    return plan(stack, listener, ApplyOptions.defaults());
  }

  /**
   * Reads the cloud and decides what applying the stack with these options would do, reporting retried reads
   * (throttling, say) to {@code listener}. What the stack owns and the spec no longer names is planned for deletion,
   * or listed as kept when {@link ApplyOptions#prune()} is off. Takes no lease and changes nothing; when another run
   * holds the stack's lease, {@link Plan#notes()} says so.
   *
   * @param stack the stack to plan
   * @param listener receives a {@code RETRYING} event for each retried read
   * @param options the options the plan is made for; {@link ApplyOptions#prune()} decides what becomes of what the spec
   *     no longer names
   * @return the plan, to inspect or to pass to {@link #apply(Plan, ProvisioningListener, ApplyOptions)}
   * @throws InvalidSpecException if the stack breaks a rule of the core or the provider
   * @throws ConflictException if a resource with the stack's name exists and is not the stack's, or a change would
   *     need a resource replaced
   * @throws DeletionProtectedException if the plan would prune a resource whose deletion protection is on
   */
  Plan plan(Stack stack, ProvisioningListener listener, ApplyOptions options);

  /**
   * Applies a plan made by this cloud: runs its steps in dependency order, up to {@code parallelism} at once, and
   * returns the stack's outputs. The stack is read again under its lease first, and nothing is done if it changed since
   * the plan was made. A destroy plan returns outputs with nothing in them.
   *
   * @param plan a plan made by this cloud's {@link #plan} or {@link #planDestroy}
   * @param listener receives every transition of the run, from the engine's threads
   * @param options parallelism, retries, waits and the lease
   * @return the stack's outputs once every step is done
   * @throws IllegalArgumentException if the plan was made by another cloud
   * @throws ApplyFailedException if steps failed; the exception lists what was done, failed and skipped
   * @throws StackLockedException if another run holds the stack's lease for longer than
   *     {@link ApplyOptions#leaseWait()}
   * @throws ConflictException if another run changed the stack since the plan was made (plan again)
   */
  StackOutputs apply(Plan plan, ProvisioningListener listener, ApplyOptions options);

  /**
   * Applies a plan, logging progress through SLF4J, with the default options.
   *
   * @param plan a plan made by this cloud
   * @return the stack's outputs once every step is done
   * @throws ApplyFailedException if steps failed; the exception lists what was done, failed and skipped
   * @throws StackLockedException if another run holds the stack's lease for longer than
   *     {@link ApplyOptions#leaseWait()}
   * @throws ConflictException if another run changed the stack since the plan was made (plan again)
   * @see #apply(Plan, ProvisioningListener, ApplyOptions)
   */
  default StackOutputs apply(Plan plan) {
    return apply(plan, ProvisioningListener.slf4j(), ApplyOptions.defaults());
  }

  /**
   * Applies a plan, reporting progress to the listener, with the default options.
   *
   * @param plan a plan made by this cloud
   * @param listener receives every transition of the run, from the engine's threads
   * @return the stack's outputs once every step is done
   * @throws ApplyFailedException if steps failed; the exception lists what was done, failed and skipped
   * @throws StackLockedException if another run holds the stack's lease for longer than
   *     {@link ApplyOptions#leaseWait()}
   * @throws ConflictException if another run changed the stack since the plan was made (plan again)
   * @see #apply(Plan, ProvisioningListener, ApplyOptions)
   */
  default StackOutputs apply(Plan plan, ProvisioningListener listener) {
    return apply(plan, listener, ApplyOptions.defaults());
  }

  /**
   * The stacks this cloud holds (in its region, subscription or project), with their resource counts and peerings,
   * from the same discovery plans use; empty when the provider cannot discover.
   *
   * @return a summary of each stack found
   */
  default java.util.List<StackSummary> stacks() {
    return java.util.List.of();
  }

  /**
   * Plans and applies the stack, logging progress through SLF4J, with the default options: the way to resume after a
   * failure.
   *
   * @param stack the stack to apply
   * @return the stack's outputs once every step is done
   * @throws InvalidSpecException if the stack breaks a rule of the core or the provider
   * @throws ConflictException if a resource with the stack's name exists and is not the stack's, or a change would need
   *     a resource replaced
   * @throws DeletionProtectedException if the apply would prune a resource whose deletion protection is on
   * @throws ApplyFailedException if steps failed; the exception lists what was done, failed and skipped
   * @throws StackLockedException if another run holds the stack's lease for longer than
   *     {@link ApplyOptions#leaseWait()}
   * @see #apply(Stack, ProvisioningListener, ApplyOptions)
   */
  default StackOutputs apply(Stack stack) {
    return apply(stack, ProvisioningListener.slf4j(), ApplyOptions.defaults());
  }

  /**
   * Plans and applies the stack with the default options, reporting progress to the listener.
   *
   * @param stack the stack to apply
   * @param listener receives every transition of the run, from the engine's threads
   * @return the stack's outputs once every step is done
   * @throws InvalidSpecException if the stack breaks a rule of the core or the provider
   * @throws ConflictException if a resource with the stack's name exists and is not the stack's, or a change would need
   *     a resource replaced
   * @throws DeletionProtectedException if the apply would prune a resource whose deletion protection is on
   * @throws ApplyFailedException if steps failed; the exception lists what was done, failed and skipped
   * @throws StackLockedException if another run holds the stack's lease for longer than
   *     {@link ApplyOptions#leaseWait()}
   * @see #apply(Stack, ProvisioningListener, ApplyOptions)
   */
  default StackOutputs apply(Stack stack, ProvisioningListener listener) {
    return apply(stack, listener, ApplyOptions.defaults());
  }

  /**
   * Plans and applies the stack with these options, reporting progress to the listener; the plan is made while the
   * run holds the stack's lease, so another run cannot make it stale. An invalid stack is refused before any cloud
   * call, the lease's included.
   *
   * @param stack the stack to apply
   * @param listener receives every transition of the run, from the engine's threads
   * @param options parallelism, retries, waits, pruning and the lease
   * @return the stack's outputs once every step is done
   * @throws InvalidSpecException if the stack breaks a rule of the core or the provider
   * @throws ConflictException if a resource with the stack's name exists and is not the stack's, or a change would need
   *     a resource replaced
   * @throws DeletionProtectedException if the apply would prune a resource whose deletion protection is on
   * @throws ApplyFailedException if steps failed; the exception lists what was done, failed and skipped
   * @throws StackLockedException if another run holds the stack's lease for longer than
   *     {@link ApplyOptions#leaseWait()}
   */
  StackOutputs apply(Stack stack, ProvisioningListener listener, ApplyOptions options);

  /**
   * Plans the removal of the stack: every resource the stack owns, in reverse dependency order. Resources the stack
   * does not own are never touched. Changes nothing.
   *
   * @param stack the stack to remove
   * @param options whether protected databases may be deleted and whether final snapshots are taken
   * @return a destroy plan ({@link Plan#isDestroy()}), to inspect or to pass to {@link #apply(Plan)}
   * @throws InvalidSpecException if the stack breaks a rule of the core or the provider
   * @throws DeletionProtectedException if a resource is protected and the options do not override it
   */
  Plan planDestroy(Stack stack, DestroyOptions options);

  /**
   * Removes everything the stack owns, reporting progress to the listener, and says what was deleted. The plan is made
   * under the stack's lease, as for {@link #apply(Stack, ProvisioningListener, ApplyOptions)}. When the provider
   * discovers, the destroy ends with a discovery that must find nothing of the stack's.
   *
   * @param stack the stack to remove
   * @param listener receives every transition of the run, from the engine's threads
   * @param options whether protected databases may be deleted and whether final snapshots are taken
   * @return what was deleted, with the run's duration
   * @throws InvalidSpecException if the stack breaks a rule of the core or the provider
   * @throws DeletionProtectedException before deleting anything, if a resource is protected and not overridden
   * @throws ApplyFailedException if deletions failed; applying the destroy again resumes
   * @throws DestroyIncompleteException if the discovery that ends the destroy still finds resources of the stack
   * @throws StackLockedException if another run holds the stack's lease for longer than five minutes (the default
   *     {@link ApplyOptions#leaseWait()})
   */
  ApplyResult destroy(Stack stack, ProvisioningListener listener, DestroyOptions options);

  /**
   * Removes everything the stack owns, logging progress through SLF4J, with the default options (refusing while
   * deletion protection is on, taking final snapshots).
   *
   * @param stack the stack to remove
   * @return what was deleted, with the run's duration
   * @throws DeletionProtectedException before deleting anything, if a resource is protected
   * @throws ApplyFailedException if deletions failed; applying the destroy again resumes
   * @throws DestroyIncompleteException if the discovery that ends the destroy still finds resources of the stack
   * @see #destroy(Stack, ProvisioningListener, DestroyOptions)
   */
  default ApplyResult destroy(Stack stack) {
    return destroy(stack, ProvisioningListener.slf4j(), DestroyOptions.defaults());
  }

  /**
   * The outputs of the stack as it stands in the cloud; outputs of resources that do not exist are absent. Reads the
   * cloud and changes nothing.
   *
   * @param stack the stack to read
   * @return the outputs of what exists
   * @throws InvalidSpecException if the stack breaks a rule of the provider
   */
  StackOutputs outputs(Stack stack);

  /**
   * {@link #apply(Plan, ProvisioningListener, ApplyOptions)} on a new daemon thread named {@code cloudpg-apply}.
   *
   * @param plan a plan made by this cloud
   * @param listener receives every transition of the run, from the engine's threads
   * @param options parallelism, retries, waits and the lease
   * @return a future completed with the stack's outputs, or exceptionally with what the synchronous call would throw
   */
  default CompletableFuture<StackOutputs> applyAsync(Plan plan, ProvisioningListener listener, ApplyOptions options) {
    return CompletableFuture.supplyAsync(() -> apply(plan, listener, options), newThread("cloudpg-apply"));
  }

  /**
   * {@link #destroy(Stack, ProvisioningListener, DestroyOptions)} on a new daemon thread named {@code cloudpg-destroy}.
   *
   * @param stack the stack to remove
   * @param listener receives every transition of the run, from the engine's threads
   * @param options whether protected databases may be deleted and whether final snapshots are taken
   * @return a future completed with what was deleted, or exceptionally with what the synchronous call would throw
   */
  default CompletableFuture<ApplyResult> destroyAsync(Stack stack, ProvisioningListener listener,
      DestroyOptions options) {
    return CompletableFuture.supplyAsync(() -> destroy(stack, listener, options), newThread("cloudpg-destroy"));
  }

  private static Executor newThread(String name) {
    return task -> {
      Thread thread = new Thread(task, name);
      thread.setDaemon(true);
      thread.start();
    };
  }

  /** Releases the clients this cloud holds. The default does nothing. */
  @Override
  default void close() {}
}
