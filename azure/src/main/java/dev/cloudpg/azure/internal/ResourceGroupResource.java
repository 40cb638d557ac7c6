package dev.cloudpg.azure.internal;

import static dev.cloudpg.azure.internal.AzureErrors.ifFound;

import com.azure.resourcemanager.resources.fluent.ResourceGroupsClient;
import com.azure.resourcemanager.resources.fluent.models.ResourceGroupInner;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.StepContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The stack's resource group, tagged with the stack's tags; deleted only once it is empty. */
final class ResourceGroupResource extends AzureResource {
  ResourceGroupResource(AzureContext azure, Stack stack) {
    super(azure, stack, key("resource-group", azure.resourceGroup(stack.name())), List.of());
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
      return Observed.foreign("resource group " + g.name() + ", " + foreignBy(g.tags())
          + "; to use it, build the cloud with existingResourceGroup(\"" + g.name() + "\")");
    }
    return Observed.owned(Map.of("location", g.location()), outputs(g));
  }

  private static Outputs outputs(ResourceGroupInner g) {
    return Outputs.of("name", g.name(), "id", g.id());
  }

  @Override
  public Outputs create(StepContext ctx) {
    return outputs(client().createOrUpdate(resourceGroup(),
        new ResourceGroupInner().withLocation(azure.region()).withTags(ctx.ownershipTags())));
  }

  /**
   * Deletes the group only when nothing is left in it: deleting a group deletes everything inside, and what is left
   * is either kept on purpose (the backups) or not the stack's.
   */
  @Override
  public void delete(StepContext ctx, Observed current) {
    List<String> left = new ArrayList<>();
    azure.managers().resources().serviceClient().getResources().listByResourceGroup(resourceGroup())
        .forEach(r -> left.add(r.type() + " " + r.name()));
    if (!left.isEmpty()) {
      ctx.note("kept the resource group " + resourceGroup() + ": it still holds " + String.join(", ", left));
      return;
    }
    client().beginDelete(resourceGroup());
    awaitGone(ctx, () -> client().get(resourceGroup()));
  }
}
