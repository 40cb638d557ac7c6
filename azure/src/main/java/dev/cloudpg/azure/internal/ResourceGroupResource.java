package dev.cloudpg.azure.internal;

import static dev.cloudpg.azure.internal.AzureErrors.ifFound;

import com.azure.resourcemanager.resources.fluent.ResourceGroupsClient;
import com.azure.resourcemanager.resources.fluent.models.ResourceGroupInner;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Output;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Probe;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stack's resource group, tagged with the stack's tags; created synchronously by ARM, deleted only once it is
 * empty.
 */
final class ResourceGroupResource extends AzureResource {
  static final Output<String> NAME = Output.string("name");
  static final Output<String> ID = Output.string("id");

  ResourceGroupResource(AzureContext azure, Stack stack) {
    super(azure, stack, Keys.resourceGroup(azure.resourceGroup(stack.name())), List.of());
  }

  private ResourceGroupsClient client() {
    return azure.managers().resources().serviceClient().getResourceGroups();
  }

  @Override
  public Map<String, String> desired() {
    return Map.of("location", azure.region());
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    return ifFound(() -> client().get(resourceGroup())).map(this::observe);
  }

  private Observed observe(ResourceGroupInner g) {
    if (!ownedTags(g.tags())) {
      return Observed.foreign(foreign("resource group", g.name(), g.tags())
          + "; to use it, build the cloud with existingResourceGroup(" + Text.quote(g.name()) + ")");
    }
    return Observed.owned(Map.of("location", g.location()), outputs(g));
  }

  private static Outputs outputs(ResourceGroupInner g) {
    return Outputs.builder().put(NAME, g.name()).put(ID, g.id()).build();
  }

  @Override
  public Outputs create(StepContext ctx) {
    return outputs(client().createOrUpdate(resourceGroup(),
        new ResourceGroupInner().withLocation(azure.region()).withTags(tags(ctx))));
  }

  /**
   * Starts deleting the group only when nothing is left in it: deleting a group deletes everything inside, and what is
   * left is either kept on purpose (the backups) or not the stack's.
   */
  @Override
  public void delete(StepContext ctx, Observed current) {
    List<String> left = new ArrayList<>();
    // Gone already when a delete whose answer was lost is sent again: nothing to do.
    if (ifFound(() -> {
      azure.managers().resources().serviceClient().getResources().listByResourceGroup(resourceGroup())
          .forEach(r -> left.add(r.type() + " " + r.name()));
      return left;
    }).isEmpty()) {
      return;
    }
    if (!left.isEmpty()) {
      ctx.note("kept the resource group " + Text.quote(resourceGroup()) + ": it still holds "
          + Text.quote(String.join(", ", left)));
      return;
    }
    ifFound(() -> client().beginDelete(resourceGroup()));
  }

  /** Gone, or kept: a group that is not being deleted is one that {@link #delete} kept because it is not empty. */
  @Override
  public Probe<Void> checkDeleted(StepContext ctx, Observed current) {
    Optional<ResourceGroupInner> group = ifFound(() -> client().get(resourceGroup()));
    return group.filter(g -> g.properties() != null && "Deleting".equalsIgnoreCase(g.properties()
        .provisioningState())).isPresent() ? Probe.pending("Deleting") : Probe.done();
  }
}
