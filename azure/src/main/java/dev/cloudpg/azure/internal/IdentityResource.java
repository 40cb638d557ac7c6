package dev.cloudpg.azure.internal;

import static dev.cloudpg.azure.internal.AzureErrors.ifFound;

import com.azure.resourcemanager.msi.fluent.UserAssignedIdentitiesClient;
import com.azure.resourcemanager.msi.fluent.models.IdentityInner;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.StepContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The user-assigned managed identity of a database: the AKS control plane runs as it, and PostgreSQL reaches the
 * backup container as it through workload identity, with no secret.
 */
final class IdentityResource extends AzureResource {
  private final String name;

  IdentityResource(AzureContext azure, Stack stack, PostgresCluster db, List<ResourceKey> dependencies) {
    super(azure, stack, key("managed-identity", db.name()), dependencies);
    this.name = Names.identity(db);
  }

  private UserAssignedIdentitiesClient client() {
    return azure.managers().msi().serviceClient().getUserAssignedIdentities();
  }

  @Override
  public Map<String, String> desired() {
    return Map.of("name", name, "location", azure.region());
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    return ifFound(() -> client().getByResourceGroup(resourceGroup(), name)).map(i -> ownedTags(i.tags())
        ? Observed.owned(Map.of("name", i.name(), "location", i.location()), outputs(i))
        : Observed.foreign("managed identity " + name + ", " + foreignBy(i.tags())));
  }

  private static Outputs outputs(IdentityInner i) {
    return Outputs.of("id", i.id(), "name", i.name(), "principalId", String.valueOf(i.principalId()),
        "clientId", String.valueOf(i.clientId()), "tenantId", String.valueOf(i.tenantId()));
  }

  @Override
  public Outputs create(StepContext ctx) {
    return outputs(client().createOrUpdate(resourceGroup(), name,
        new IdentityInner().withLocation(azure.region()).withTags(ctx.ownershipTags())));
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    client().delete(resourceGroup(), name);
  }
}
