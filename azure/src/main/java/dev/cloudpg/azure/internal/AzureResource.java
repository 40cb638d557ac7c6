package dev.cloudpg.azure.internal;

import dev.cloudpg.ProviderException;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Probe;
import dev.cloudpg.spi.AbstractResource;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.WaitPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What the Azure resources share: key, dependencies, the context, and the ARM idioms: a GET that answers 404 means
 * absent, a PUT is create-or-update (so an update is the create's request again), long operations are awaited by
 * reading {@code provisioningState}, and a resource is the stack's when it carries the tag {@code cloudpg:stack}.
 */
abstract class AzureResource extends AbstractResource {
  static final String STACK_TAG = "cloudpg:stack";
  /** ARM's slow resources: AKS clusters and node pools take 5 to 15 minutes. */
  static final WaitPolicy SLOW =
      WaitPolicy.of(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(60));

  /** Refusals that clear once a new role assignment or principal has propagated, which takes up to ten minutes. */
  private static final Set<String> PROPAGATION_CODES = Set.of("AuthorizationFailed", "PrincipalNotFound");
  private static final Duration PROPAGATION_LIMIT = Duration.ofMinutes(15);

  protected final AzureContext azure;
  protected final Stack stack;

  AzureResource(AzureContext azure, Stack stack, ResourceKey key, List<ResourceKey> dependencies) {
    super(key, dependencies);
    this.azure = azure;
    this.stack = stack;
  }

  static ResourceKey key(String type, String name) {
    return ResourceKey.of("azure", type, name);
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
    return tags != null && stack.name().equals(tags.get(STACK_TAG));
  }

  /** A foreign resource's description from its tags. */
  static String foreignBy(Map<String, String> tags) {
    String owner = tags == null ? null : tags.get(STACK_TAG);
    return owner == null ? "not made by cloudpg" : "owned by the stack " + owner;
  }

  /** Polls a resource until its {@code provisioningState} is Succeeded; Failed or Canceled end the wait. */
  static <T> T awaitSucceeded(StepContext ctx, Supplier<T> get, java.util.function.Function<T, String> state) {
    return ctx.await("provisioningState Succeeded", () -> {
      Optional<T> current = AzureErrors.ifFound(get);
      if (current.isEmpty()) {
        return Probe.pending("not visible yet");
      }
      String s = state.apply(current.get());
      if (s == null || s.equalsIgnoreCase("Succeeded")) {
        return Probe.done(current.get());
      }
      if (s.equalsIgnoreCase("Failed") || s.equalsIgnoreCase("Canceled")) {
        return Probe.failed("provisioningState " + s + ": see the resource's activity log in the Azure portal");
      }
      return Probe.pending(s);
    });
  }

  /** Polls until a GET answers 404. */
  static void awaitGone(StepContext ctx, Supplier<?> get) {
    ctx.await("deleted", () -> AzureErrors.ifFound(get).isPresent() ? Probe.pending("Deleting")
        : Probe.done(Boolean.TRUE));
  }

  /**
   * Runs a request until ARM accepts it: a code the provider calls transient (a role assignment not yet
   * propagated, a principal not yet replicated, another operation in progress on an AKS cluster) counts as one more
   * pending poll of the resource's wait policy, which is much longer than the step retries.
   */
  static <T> T untilAccepted(StepContext ctx, String awaited, Supplier<T> request) {
    Instant start = ctx.time().now();
    return ctx.await(awaited, () -> {
      try {
        return Probe.done(request.get());
      } catch (RuntimeException e) {
        RuntimeException translated = AzureErrors.translate(e);
        if (translated instanceof ProviderException && PROPAGATION_CODES.contains(
            ((ProviderException) translated).errorCode())
            && Duration.between(start, ctx.time().now()).compareTo(PROPAGATION_LIMIT) > 0) {
          return Probe.failed(translated.getMessage() + ", still after " + PROPAGATION_LIMIT.toMinutes()
              + " minutes, longer than Azure takes to propagate a role or a principal: check the permissions");
        }
        throw e;
      }
    });
  }
}
