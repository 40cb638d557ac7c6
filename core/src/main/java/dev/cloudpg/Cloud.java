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
 */
public interface Cloud extends AutoCloseable {
  /** The provider's name: {@code aws}, {@code azure}, {@code mst} or {@code fake}. */
  String provider();

  /**
   * Reads the cloud and decides what applying the stack would do.
   *
   * @throws InvalidSpecException if the stack breaks a rule of the core or the provider
   * @throws ConflictException if a resource with the stack's name exists and is not the stack's, or a change would
   *     need a resource replaced
   */
  default Plan plan(Stack stack) {
    return plan(stack, ProvisioningListener.slf4j(), ApplyOptions.defaults());
  }

  /** Plans the stack, reporting retried reads (throttling, say) to {@code listener}. */
  default Plan plan(Stack stack, ProvisioningListener listener) {
    return plan(stack, listener, ApplyOptions.defaults());
  }

  /**
   * Reads the cloud and decides what applying the stack with these options would do, reporting retried reads
   * (throttling, say) to {@code listener}. What the stack owns and the spec no longer names is planned for deletion,
   * or listed as kept when {@link ApplyOptions#prune()} is off.
   *
   * @throws InvalidSpecException if the stack breaks a rule of the core or the provider
   * @throws ConflictException if a resource with the stack's name exists and is not the stack's, or a change would
   *     need a resource replaced
   */
  Plan plan(Stack stack, ProvisioningListener listener, ApplyOptions options);

  /**
   * Applies a plan made by this cloud: runs its steps in dependency order, up to {@code parallelism} at once, and
   * returns the stack's outputs. A destroy plan returns outputs with nothing in them.
   *
   * @throws ApplyFailedException if steps failed; the exception lists what was done, failed and skipped
   * @throws StackLockedException if another run holds the stack's lease for longer than
   *     {@link ApplyOptions#leaseWait()}
   * @throws ConflictException if another run changed the stack since the plan was made (plan again)
   */
  StackOutputs apply(Plan plan, ProvisioningListener listener, ApplyOptions options);

  /** Applies a plan, logging progress through SLF4J, with the default options. */
  default StackOutputs apply(Plan plan) {
    return apply(plan, ProvisioningListener.slf4j(), ApplyOptions.defaults());
  }

  /** Applies a plan, reporting progress to the listener, with the default options. */
  default StackOutputs apply(Plan plan, ProvisioningListener listener) {
    return apply(plan, listener, ApplyOptions.defaults());
  }

  /**
   * The stacks this cloud holds (in its region, subscription or project), with their resource counts and peerings,
   * from the same discovery plans use; empty when the provider cannot discover.
   */
  default java.util.List<StackSummary> stacks() {
    return java.util.List.of();
  }

  /** Plans and applies the stack: the way to resume after a failure. */
  default StackOutputs apply(Stack stack) {
    return apply(stack, ProvisioningListener.slf4j(), ApplyOptions.defaults());
  }

  /** Plans and applies the stack, reporting progress to the listener. */
  default StackOutputs apply(Stack stack, ProvisioningListener listener) {
    return apply(stack, listener, ApplyOptions.defaults());
  }

  /**
   * Plans and applies the stack with these options, reporting progress to the listener; the plan is made while the
   * run holds the stack's lease, so another run cannot make it stale.
   */
  StackOutputs apply(Stack stack, ProvisioningListener listener, ApplyOptions options);

  /**
   * Plans the removal of the stack: every resource the stack owns, in reverse dependency order. Resources the stack
   * does not own are never touched.
   *
   * @throws DeletionProtectedException if a resource is protected and the options do not override it
   */
  Plan planDestroy(Stack stack, DestroyOptions options);

  /**
   * Removes everything the stack owns, reporting progress to the listener, and says what was deleted.
   *
   * @throws DeletionProtectedException before deleting anything, if a resource is protected and not overridden
   * @throws ApplyFailedException if deletions failed; applying the destroy again resumes
   * @throws DestroyIncompleteException if the discovery that ends the destroy still finds resources of the stack
   */
  ApplyResult destroy(Stack stack, ProvisioningListener listener, DestroyOptions options);

  /** Removes everything the stack owns, with the default options (refusing while deletion protection is on). */
  default ApplyResult destroy(Stack stack) {
    return destroy(stack, ProvisioningListener.slf4j(), DestroyOptions.defaults());
  }

  /** The outputs of the stack as it stands in the cloud; outputs of resources that do not exist are absent. */
  StackOutputs outputs(Stack stack);

  /** {@link #apply(Plan, ProvisioningListener, ApplyOptions)} on a new thread. */
  default CompletableFuture<StackOutputs> applyAsync(Plan plan, ProvisioningListener listener, ApplyOptions options) {
    return CompletableFuture.supplyAsync(() -> apply(plan, listener, options), newThread("cloudpg-apply"));
  }

  /** {@link #destroy(Stack, ProvisioningListener, DestroyOptions)} on a new thread. */
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

  /** Releases the clients this cloud holds. */
  @Override
  default void close() {}
}
