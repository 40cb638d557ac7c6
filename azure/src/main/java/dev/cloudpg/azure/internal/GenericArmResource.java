package dev.cloudpg.azure.internal;

import static dev.cloudpg.azure.internal.AzureErrors.ifFound;

import com.azure.resourcemanager.resources.fluent.ResourcesClient;
import com.azure.resourcemanager.resources.fluent.models.GenericResourceInner;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Output;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Probe;
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
  static final Output<String> ID = Output.string("id");
  static final Output<String> NAME = Output.string("name");
  /** The principal of its system-assigned identity, for those that have one (Grafana). */
  static final Output<String> PRINCIPAL_ID = Output.string("principalId");

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

  private Optional<GenericResourceInner> get(String resourceId) {
    return ifFound(() -> client().getById(resourceId, apiVersion));
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
    return get(id.apply(ctx)).map(r -> !taggable || ownedTags(r.tags())
        ? Observed.owned(desired(), outputs(r))
        : Observed.foreign(foreign(type, r.name(), r.tags())));
  }

  private static Outputs outputs(GenericResourceInner r) {
    Outputs.Builder out = Outputs.builder().put(ID, r.id()).put(NAME, r.name());
    if (r.identity() != null) {
      out.put(PRINCIPAL_ID, r.identity().principalId());
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
    return Outputs.builder().put(ID, resourceId).build();
  }

  @Override
  public Probe<Outputs> checkReady(StepContext ctx, Outputs started) {
    String resourceId = id.apply(ctx);
    return provisioned(get(resourceId), GenericArmResource::state, GenericArmResource::outputs, resourceId);
  }

  @SuppressWarnings("unchecked")
  private static String state(GenericResourceInner r) {
    Object properties = r.properties();
    return properties instanceof Map ? (String) ((Map<String, Object>) properties).get("provisioningState") : null;
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    client().beginDeleteById(id.apply(ctx), apiVersion);
  }

  @Override
  public Probe<Void> checkDeleted(StepContext ctx, Observed current) {
    return gone(get(id.apply(ctx)), GenericArmResource::state);
  }
}
