package dev.cloudpg.azure.internal;

import static dev.cloudpg.azure.internal.AzureErrors.ifFound;

import com.azure.resourcemanager.msi.fluent.UserAssignedIdentitiesClient;
import com.azure.resourcemanager.msi.fluent.models.IdentityInner;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Output;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.StepContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The user-assigned managed identity of a database: the AKS control plane runs as it, and PostgreSQL reaches the
 * backup container as it through workload identity, with no secret. ARM makes it synchronously.
 */
final class IdentityResource extends AzureResource {
  static final Output<String> ID = Output.string("id");
  static final Output<String> NAME = Output.string("name");
  /** The object id of its service principal, which roles are assigned to. */
  static final Output<String> PRINCIPAL_ID = Output.string("principalId");
  /** The application id, which workload identity names. */
  static final Output<String> CLIENT_ID = Output.string("clientId");
  static final Output<String> TENANT_ID = Output.string("tenantId");

  private final String name;

  IdentityResource(AzureContext azure, Stack stack, PostgresCluster db, List<ResourceKey> dependencies) {
    super(azure, stack, Keys.identity(db), dependencies, db.tags());
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
        : Observed.foreign(foreign("managed identity", name, i.tags())));
  }

  private static Outputs outputs(IdentityInner i) {
    return Outputs.builder().put(ID, i.id()).put(NAME, i.name()).put(PRINCIPAL_ID, String.valueOf(i.principalId()))
        .put(CLIENT_ID, String.valueOf(i.clientId())).put(TENANT_ID, String.valueOf(i.tenantId())).build();
  }

  @Override
  public Outputs create(StepContext ctx) {
    return outputs(client().createOrUpdate(resourceGroup(), name,
        new IdentityInner().withLocation(azure.region()).withTags(tags(ctx))));
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    client().delete(resourceGroup(), name);
  }
}
