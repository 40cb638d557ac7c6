package dev.cloudpg.azure.internal;

import static dev.cloudpg.azure.internal.AzureErrors.ifFound;

import com.azure.resourcemanager.resources.fluent.ResourcesClient;
import com.azure.resourcemanager.resources.fluent.models.GenericResourceInner;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.WaitPolicy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A resource type without a typed library here (Managed Grafana, Azure Monitor workspaces, Log Analytics workspaces,
 * data collection endpoints, rules and associations), reached through ARM's generic resource API with an explicit
 * api-version, so that no request asks ARM for the provider's versions first.
 */
final class GenericArmResource extends AzureResource {
  private final String type;
  private final String apiVersion;
  private final Function<StepContext, String> id;
  private final BiFunction<StepContext, GenericResourceInner, GenericResourceInner> body;
  private final boolean taggable;

  /**
   * @param type the ARM type, for plans: {@code Microsoft.Dashboard/grafana}
   * @param id the resource's id, from the context (an extension resource's id depends on its parent's)
   * @param body fills the request body, already holding location and ownership tags when {@code taggable}
   */
  GenericArmResource(AzureContext azure, Stack stack, ResourceKey key, List<ResourceKey> dependencies, String type,
      String apiVersion, boolean taggable, Function<StepContext, String> id,
      BiFunction<StepContext, GenericResourceInner, GenericResourceInner> body) {
    super(azure, stack, key, dependencies);
    this.type = type;
    this.apiVersion = apiVersion;
    this.id = id;
    this.body = body;
    this.taggable = taggable;
  }

  private ResourcesClient client() {
    return azure.managers().resources().serviceClient().getResources();
  }

  @Override
  WaitPolicy ownWaitPolicy() {
    return SLOW;
  }

  @Override
  public Map<String, String> desired() {
    return Map.of("type", type, "apiVersion", apiVersion);
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    return ifFound(() -> client().getById(id.apply(ctx), apiVersion)).map(r -> !taggable || ownedTags(r.tags())
        ? Observed.owned(desired(), outputs(r))
        : Observed.foreign(type + " " + r.name() + ", " + foreignBy(r.tags())));
  }

  private static Outputs outputs(GenericResourceInner r) {
    Outputs.Builder out = Outputs.builder().put("id", r.id()).put("name", r.name());
    if (r.identity() != null) {
      out.put("principalId", r.identity().principalId());
    }
    return out.build();
  }

  @Override
  public Outputs create(StepContext ctx) {
    GenericResourceInner request = new GenericResourceInner();
    if (taggable) {
      request.withLocation(azure.region()).withTags(ctx.ownershipTags());
    }
    String resourceId = id.apply(ctx);
    client().beginCreateOrUpdateById(resourceId, apiVersion, body.apply(ctx, request));
    return outputs(awaitSucceeded(ctx, () -> client().getById(resourceId, apiVersion), GenericArmResource::state));
  }

  @SuppressWarnings("unchecked")
  private static String state(GenericResourceInner r) {
    Object properties = r.properties();
    return properties instanceof Map ? (String) ((Map<String, Object>) properties).get("provisioningState") : null;
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    String resourceId = id.apply(ctx);
    client().beginDeleteById(resourceId, apiVersion);
    awaitGone(ctx, () -> client().getById(resourceId, apiVersion));
  }
}
