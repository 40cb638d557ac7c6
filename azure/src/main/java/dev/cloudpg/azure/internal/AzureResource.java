package dev.cloudpg.azure.internal;

import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.AbstractResource;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Ownership;
import dev.cloudpg.spi.Probe;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.Text;
import dev.cloudpg.spi.WaitPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the Azure resources share: key, dependencies, the context, and the ARM idioms. A GET that answers 404 means
 * absent; a PUT is create-or-update, so an update sends the create's request again; a create or delete is the one
 * request that starts it (the SDK's {@code begin...}, whose poller is never waited on), and the engine then checks
 * with a GET: {@code provisioningState} Succeeded is done, Failed or Canceled is failed, a 404 after a delete is gone.
 * A resource is the stack's when it carries the tag {@link Ownership#STACK}. Immutable and thread-safe.
 */
abstract class AzureResource extends AbstractResource {
  /** ARM's slow resources: AKS clusters and node pools take 5 to 15 minutes. */
  static final WaitPolicy SLOW =
      WaitPolicy.of(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(60));

  protected final AzureContext azure;
  protected final Stack stack;
  private final Map<String, String> specTags;

  AzureResource(AzureContext azure, Stack stack, ResourceKey key, List<ResourceKey> dependencies) {
    this(azure, stack, key, dependencies, Map.of());
  }

  /**
   * @param specTags the spec's tags for what the resource is made for: a network's for its VNet, a database's for
   *     each resource of its platform
   */
  AzureResource(AzureContext azure, Stack stack, ResourceKey key, List<ResourceKey> dependencies,
      Map<String, String> specTags) {
    super(key, dependencies);
    this.azure = azure;
    this.stack = stack;
    this.specTags = Map.copyOf(specTags);
  }

  /**
   * The tags a taggable resource is made and updated with: the spec's tags for what it is made for, then the stack's
   * own and cloudpg's ownership tags, which win (the spec refuses reserved names anyway).
   */
  Map<String, String> tags(StepContext ctx) {
    return ctx.ownershipTags(specTags);
  }

  @Override
  public WaitPolicy waitPolicy() {
    return azure.waitPolicy(ownWaitPolicy());
  }

  WaitPolicy ownWaitPolicy() {
    return WaitPolicy.DEFAULT;
  }

  /** ARM's PUT creates or replaces: changing an updatable property sends the create's request again. */
  @Override
  public Outputs update(StepContext ctx, Observed current, Map<String, String> changes) {
    return create(ctx);
  }

  String resourceGroup() {
    return azure.resourceGroup(stack.name());
  }

  /** Whether tags mark a resource as this stack's. */
  boolean ownedTags(Map<String, String> tags) {
    return Ownership.ownedBy(tags, stack.name());
  }

  /** A foreign resource's description: what it is, and whose its tags say it is. */
  static String foreign(String what, String name, Map<String, String> tags) {
    return what + " " + Text.quote(name) + ", " + Ownership.owner(tags);
  }

  /**
   * The check of a PUT by the resource as a GET returns it: done with its outputs once its {@code provisioningState}
   * is Succeeded (or absent, for types that have none), failed when Failed or Canceled, pending otherwise.
   *
   * @param found the GET's answer; empty while ARM does not show the resource yet
   * @param id the resource's id, for the message of a failure
   */
  static <T> Probe<Outputs> provisioned(Optional<T> found, Function<T, String> state, Function<T, Outputs> outputs,
      String id) {
    if (found.isEmpty()) {
      return Probe.pending("not visible yet");
    }
    String s = state.apply(found.get());
    if (s == null || s.equalsIgnoreCase("Succeeded")) {
      return Probe.done(outputs.apply(found.get()));
    }
    if (s.equalsIgnoreCase("Failed") || s.equalsIgnoreCase("Canceled")) {
      return Probe.failed("provisioningState " + Text.quote(s) + ": see the activity log of " + Text.quote(id)
          + " in the Azure portal (az monitor activity-log list --resource-id ...) for why, fix it and apply again");
    }
    return Probe.pending("provisioningState " + Text.escape(s));
  }

  /** The check of a DELETE by a GET: done once it answers 404 (empty), pending with the state it shows until then. */
  static <T> Probe<Void> gone(Optional<T> found, Function<T, String> state) {
    return found.map(f -> Probe.<Void>pending(Optional.ofNullable(state.apply(f)).map(Text::escape)
        .orElse("still there"))).orElseGet(Probe::done);
  }
}
